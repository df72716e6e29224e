/**
 * Orientering af kommunerne (Rammeaftale Bilag 4, Tabel 4.1, last row): "Hvis der oprettes tilbud eller
 * foretages ændringer i en kommunes tilbud, der har væsentlig indflydelse på andre kommuners eller
 * regionens tilbud", the municipalities and the Region are told "hurtigst muligt". The smallest complete
 * procedure: record the case, tell every party, close.
 */
import { CaseRecord } from '../blocks/caseRecord';
import { acts } from '../blocks/proxies';
import type { OrientationInput } from './contract';
import { orientationNotice } from './messages';

export type { OrientationInput };

export async function orientation(input: OrientationInput): Promise<{ recipients: number }> {
  const c = new CaseRecord({ procedure: 'orientation', title: input.title, stage: 'Oprettet', details: { message: input.message } });
  await c.publish(
    { parties: input.parties.map((p) => ({ ...p, state: 'afventer orientering' })) },
    { description: `Sag oprettet: ${input.title}`, actor: input.startedBy },
  );
  const sent = await c.attempt('Orienteringen kunne ikke sendes', () =>
    acts.notifyParties({
      caseId: c.state.caseId,
      procedure: 'orientation',
      step: 'orientation',
      partyIds: input.parties.map((p) => p.partyId),
      ...orientationNotice(input, c.state.caseId),
    }),
  );
  if (!sent.ok) {
    // Nothing was sent (the recipients are resolved before any e-mail); the case ends and shows why, so the
    // secretariat can correct the parties and start the orientation again.
    await c.publish(
      { stage: 'Orientering ikke sendt', status: 'completed', parties: c.state.parties.map((p) => ({ ...p, state: 'ikke orienteret' })) },
      { description: `Kræver handling: ${sent.reason}`, actor: 'system' },
    );
    return { recipients: 0 };
  }
  const result = sent.value;
  const notified = c.state.parties.map((p) => ({ ...p, state: 'orienteret' }));
  await c.publish(
    { stage: 'Orienteret', status: 'completed', parties: notified },
    {
      description: `Orientering sendt til ${input.parties.length} parter (${result.recipients} e-mails)` +
        (result.partiesWithoutContact.length ? `; uden kontaktadresse: ${result.partiesWithoutContact.join(', ')}` : ''),
      actor: 'system',
    },
  );
  return { recipients: result.recipients };
}
