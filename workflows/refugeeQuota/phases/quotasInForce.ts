/** The quotas come into force: agreed (and ratified by the councils where required) or fixed by the agency
 * (§ 8, stk. 3), and told to the region's municipalities. */
import { patched } from '@temporalio/workflow';
import { acts } from '../../blocks/proxies';
import { copenhagenToday } from '../../blocks/time';
import type { QuotaCase } from '../caseFile';
import { ratificationAnswer } from '../contract';
import { finalQuotasNotice, ratificationNotice } from '../messages';

// Versioned (README, "Changing a running procedure"): from 3 December 2026 the quotas in force, agreed or
// fixed, are e-mailed to the region's municipalities; histories recorded before replay without it.
export async function tellMunicipalities(q: QuotaCase, how: 'aftalt' | 'fastsat'): Promise<void> {
  const { c, details, input, parties } = q;
  if (!patched('refugee-final-quotas-to-municipalities')) return;
  const notice = finalQuotasNotice(input, details, how, c.state.caseId);
  const sent = await acts.notifyParties({ caseId: c.state.caseId, procedure: 'refugeeQuota', step: 'finalQuotas', partyIds: parties.map((p) => p.partyId), ...notice });
  await c.publish({}, { description: `Kommunekvoterne er sendt til regionens kommuner (${sent.recipients} e-mails)`, actor: 'system' });
}

/** The councils ratify the notified agreement; a refusal is a warning on the case. */
export async function ratification(q: QuotaCase): Promise<void> {
  const { c, collections, deadlines, details, input, parties } = q;
  const spec = input.ratificationDeadline ?? { wording: 'senest 30 dage efter meddelelsen', rule: 'generalShift' as const, nominalDate: addDaysIso(copenhagenToday(), 30) };
  await deadlines.add('ratification', 'Ratifikation i kommunalbestyrelserne', spec, input.ladder);
  await c.publish({ stage: 'Ratifikation i kommunalbestyrelserne' }, { description: 'Kommunalbestyrelserne bedes ratificere aftalen', actor: 'system' });
  const r = await collections.run({
    key: 'ratification',
    label: 'Ratifikation af aftalen',
    parties,
    answer: ratificationAnswer,
    describeAnswer: (a) => `${a.ratified ? 'ratificeret' : 'ikke ratificeret'} på møde ${a.councilMeetingDate}`,
    deadlineKey: 'ratification',
    notice: ratificationNotice(input, details),
  });
  const refused = r.parties.filter((p) => p.state === 'answered' && !(p.answer as { ratified: boolean }).ratified);
  if (refused.length) {
    const w = `Ikke ratificeret af ${refused.map((p) => p.name).join(', ')}: aftalen bør genforhandles eller Udlændingestyrelsen orienteres`;
    c.state.warnings.push(w);
    await c.publish({}, { description: w, actor: 'system' });
  }
}

/** No agreement in time: the agency fixes the quotas (§ 8, stk. 3); after its deadline Bilag B is in force. */
export async function fixedByAgency(q: QuotaCase): Promise<void> {
  const { c, deadlines, details, facts, input } = q;
  await deadlines.close('agreement', 'expired');
  facts.awaitingAgency = true;
  await c.publish({ stage: 'Afventer Udlændingestyrelsens fastsættelse' }, { description: 'Der er ikke meddelt en aftale inden fristen. Udlændingestyrelsen fastsætter kommunekvoterne (integrationslovens § 8, stk. 3).', actor: 'system' });
  await deadlines.follow('fallback', { isDone: () => facts.agencyFixed, onPoint: async () => undefined });
  if (!facts.agencyFixed) {
    facts.agencyFixed = true;
    details.basis = 'fastsat';
    details.quotas = input.calculatedQuotas;
  }
  facts.awaitingAgency = false;
  await deadlines.close('fallback', 'met');
}

function addDaysIso(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
