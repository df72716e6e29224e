import type { Pool } from 'pg';
import { PermanentInputError } from './failures';

export interface Recipient {
  partyId: string;
  name: string;
  emails: string[];
}

export function createDirectoryActivities(pool: Pool) {
  return {
    /** The parties and their contact e-mails for a procedure (falling back to the party's default contacts). */
    async resolveRecipients(input: { partyIds: string[]; procedure: string }): Promise<Recipient[]> {
      const { rows } = await pool.query<{ party_id: string; name: string; contacts: Record<string, string[]> }>(
        'SELECT party_id, name, contacts FROM directory_party WHERE party_id = ANY($1) ORDER BY kommunenr NULLS LAST, party_id',
        [input.partyIds],
      );
      const missing = input.partyIds.filter((id) => !rows.some((r) => r.party_id === id));
      if (missing.length) throw new PermanentInputError('UnknownParty', `Ukendt part i adressebogen: ${missing.join(', ')}`);
      return rows.map((r) => ({
        partyId: r.party_id,
        name: r.name,
        emails: r.contacts[input.procedure] ?? r.contacts.default ?? [],
      }));
    },

    async listRegionParties(input: { region: string }): Promise<{ partyId: string; name: string }[]> {
      const { rows } = await pool.query<{ party_id: string; name: string }>(
        'SELECT party_id, name FROM directory_party WHERE region = $1 ORDER BY kind, kommunenr NULLS LAST',
        [input.region],
      );
      return rows.map((r) => ({ partyId: r.party_id, name: r.name }));
    },
  };
}
