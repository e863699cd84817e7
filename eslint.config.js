import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

/** Folders that hold pure logic may not reach I/O-side folders (see docs/architecture.md). */
const boundaries = [
  { from: 'src/domain', deny: ['config', 'sources', 'rules', 'stories', 'notify', 'triage', 'pipeline', 'queue', 'infra', 'cli'] },
  { from: 'src/rules', deny: ['sources', 'stories', 'notify', 'triage', 'pipeline', 'queue', 'infra', 'cli'] },
  { from: 'src/sources', deny: ['rules', 'stories', 'notify', 'triage', 'pipeline', 'queue', 'cli'] },
  { from: 'src/stories', deny: ['sources', 'rules', 'notify', 'triage', 'pipeline', 'queue', 'cli'] },
  { from: 'src/notify', deny: ['sources', 'rules', 'stories', 'triage', 'pipeline', 'queue', 'cli'] },
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'bin/', 'data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    rules: {
      'import-x/no-cycle': 'error',
      'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  ...boundaries.map(({ from, deny }) => ({
    files: [`${from}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: deny.map((folder) => ({
            group: [`../${folder}`, `../${folder}/*`, `../../${folder}`, `../../${folder}/*`],
            message: `${from} must not import ${folder}/ (docs/architecture.md)`,
          })),
        },
      ],
    },
  })),
  { files: ['test/**/*.ts', 'bench/**/*.ts'], rules: { 'max-lines': 'off' } },
);
