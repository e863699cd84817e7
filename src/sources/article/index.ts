// Public surface of article text extraction (docs/architecture.md, "sources").
export { extractArticleText, MAX_ARTICLE_CHARS } from './extract.js';
