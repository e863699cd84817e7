/** The pipeline roles a process can run; `refwatch start --roles` picks a subset. */
export const ROLES = ['poll', 'analyze', 'notify'] as const;
export type Role = (typeof ROLES)[number];

export class RolesError extends Error {
  override name = 'RolesError';
}

/** Parses "poll,analyze" into roles; throws a RolesError naming the unknown ones. */
export function parseRoles(text: string | undefined): Role[] {
  if (!text || text.trim() === '' || text.trim() === 'all') return [...ROLES];
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !(ROLES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new RolesError(`Unknown role(s): ${unknown.join(', ')}. Roles are ${ROLES.join(', ')} (comma-separated).`);
  }
  return [...new Set(names)] as Role[];
}
