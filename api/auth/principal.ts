/** Who is asking: a signed-in person or a system client's API token. The server decides it; a request never
 * names its own actor. */
export type Role = 'secretariat' | 'leadership' | 'municipality';

export interface Principal {
  kind: 'user' | 'token';
  id: string;
  name: string;
  role: Role;
  /** The municipality (or the Region) a municipality contact acts for. */
  partyId: string | null;
  /** Set for a browser session: the token its forms must carry. */
  csrfToken?: string;
}

export const ROLE_LABELS: Record<Role, string> = { secretariat: 'sekretariatet', leadership: 'ledelsen', municipality: 'kommunal kontaktperson' };

/** How the journal names the actor: who, in which capacity. */
export function actorName(p: Principal): string {
  if (p.kind === 'token') return `${p.name} (systemklient)`;
  return `${p.name} (${ROLE_LABELS[p.role]})`;
}
