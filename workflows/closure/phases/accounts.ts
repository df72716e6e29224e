/** Steps 6-11 of §5.3: the provisional account with its deadline and FU, the final account with SDF, and each
 * account to the affected municipalities. */
import { condition } from '@temporalio/workflow';
import type { DeadlinePoint } from '../../../contracts/deadlines';
import { acts } from '../../blocks/proxies';
import type { ClosureCaseFile } from '../caseFile';
import {
  finalAccountToMunicipalities,
  fmt,
  provisionalAccountEscalation,
  provisionalAccountReminder,
  provisionalAccountToFu,
  provisionalAccountToMunicipalities,
} from '../messages';

/** The provisional account's deadline: reminders to the operator, the late flag, the escalation. */
async function provisionalNotice(x: ClosureCaseFile, p: DeadlinePoint): Promise<void> {
  const { c, op } = x;
  const d = x.deadlines.get('provisionalAccount');
  if (p.kind === 'reminder' || p.kind === 'due') {
    await c.attempt('E-mailen til driftsherren om det foreløbige lukkeregnskab kunne ikke sendes', () =>
      acts.notifyParties({
        caseId: c.state.caseId,
        procedure: 'closure',
        step: 'provisionalAccount',
        reminder: `${p.kind}:${p.date}`,
        partyIds: [op.partyId],
        ...provisionalAccountReminder(x.k, p, d.plan.deadline.dueDate),
        deadline: { ...d.plan.deadline, revision: d.revision },
      }),
    );
    await c.publish(
      {},
      { description: `Foreløbigt lukkeregnskab: påmindelse sendt til driftsherren ${op.name} (${p.kind === 'due' ? 'på fristdagen' : `${p.workingDaysBefore} arbejdsdage før fristen`})`, actor: 'system' },
    );
  } else if (p.kind === 'expired') {
    await c.publish(
      { parties: x.partyList('afventer driftsherrens lukkeregnskab') },
      { description: `Fristen for det foreløbige lukkeregnskab (${d.plan.deadline.dueDate}) er overskredet; driftsherren ${op.name} har ikke indsendt det`, actor: 'system' },
    );
  } else {
    await acts.notifySecretariat({ caseId: c.state.caseId, step: `provisionalAccount:escalation:${p.date}`, ...provisionalAccountEscalation(x.k, d.plan.deadline, x.details.decision!.decisionDate) });
    await c.publish({}, { description: 'Foreløbigt lukkeregnskab: eskaleret til sekretariatet', actor: 'system' });
  }
}

/** Step 6: the provisional account, awaited beside its deadline. Reading of "sendes til orientering til
 * Forretningsudvalget" + "Når det foreløbige lukkeregnskab har været behandlet i Forretningsudvalget"
 * (002:1943-1952): FU receives it for orientation, and its meeting is recorded as an FU step before the account
 * goes on. 'approved' = taken note of; 'amend'/'rejected' = FU asks for a revised account, which goes to FU again. */
export async function provisionalAccount(x: ClosureCaseFile): Promise<void> {
  const { c, facts, op } = x;
  const account = facts.provisional;
  const d = x.deadlines.get('provisionalAccount');
  facts.waitingFor = 'provisionalAccount';
  await c.publish(
    { stage: 'Afventer foreløbigt lukkeregnskab' },
    { description: `Frist for det foreløbige lukkeregnskab sendt til driftsherren ${op.name}: ${fmt(d.plan.deadline.dueDate)} ("${d.plan.deadline.wording}")`, actor: 'system' },
  );
  await x.deadlines.follow('provisionalAccount', { isDone: () => account.revision > 0, onPoint: (p) => provisionalNotice(x, p) });
  await condition(() => account.revision > 0);
  await x.deadlines.close('provisionalAccount', x.details.provisionalAccount!.late ? 'expired' : 'met');
  for (;;) {
    facts.waitingFor = undefined;
    const rev = account.revision;
    await acts.sendClosureMail({
      caseId: c.state.caseId,
      step: `provisionalAccount:fu:${rev}`,
      addresses: { greeting: 'Til Forretningsudvalget', emails: x.input.fuRecipients },
      ...provisionalAccountToFu(x.k, rev),
      documents: [account.document!],
    });
    await c.publish({}, { description: `Foreløbigt lukkeregnskab sendt til Forretningsudvalget til orientering`, actor: 'system' });
    const treated = await x.approvals.run('provisionalAccount', 'Foreløbigt lukkeregnskab', ['FU']);
    if (treated === 'approved') return;
    facts.waitingFor = 'provisionalAccount';
    await c.publish({ stage: 'Afventer revideret foreløbigt lukkeregnskab' }, { description: 'Forretningsudvalget har bedt om et revideret foreløbigt lukkeregnskab', actor: 'system' });
    await condition(() => account.revision > rev);
  }
}

/** Steps 7 and 11: an account, once its body has treated it, to the affected municipalities (002:1951-1952,
 * 1959-1960). */
export async function accountToMunicipalities(x: ClosureCaseFile, kind: 'provisional' | 'final'): Promise<void> {
  if (!x.affected().length) return;
  const account = kind === 'provisional' ? x.facts.provisional : x.facts.final;
  const sent = await acts.sendClosureMail({
    caseId: x.c.state.caseId,
    step: `${kind}Account:municipalities:${account.revision}`,
    partyIds: x.affected().map((a) => a.partyId),
    ...(kind === 'provisional' ? provisionalAccountToMunicipalities(x.k) : finalAccountToMunicipalities(x.k)),
    documents: [account.document!],
  });
  const what = kind === 'provisional' ? 'Foreløbigt' : 'Endeligt';
  await x.c.publish({ parties: x.partyList(`${what.toLowerCase()} lukkeregnskab modtaget`) }, { description: `${what} lukkeregnskab sendt til de berørte kommuner (${sent.recipients} e-mails)`, actor: 'system' });
}

/** Steps 8-10: material changes until the final, audited account (no deadline is stated for it, A-9), which
 * "forelægges Socialdirektørforum" (002:1958); SDF may send it back. */
export async function finalAccount(x: ClosureCaseFile): Promise<void> {
  const { c, facts } = x;
  for (;;) {
    facts.waitingFor = 'finalAccount';
    facts.basisOpen = true;
    const rev = facts.final.revision;
    await c.publish({ stage: 'Afventer endeligt lukkeregnskab' }, { description: 'Afventer driftsherrens endelige lukkeregnskab; væsentlige ændringer meddeles Forretningsudvalget og de berørte kommuner', actor: 'system' });
    await condition(() => facts.final.revision > rev);
    facts.waitingFor = undefined;
    facts.basisOpen = false;
    const treated = await x.approvals.run('finalAccount', 'Endeligt lukkeregnskab', ['SDF']);
    if (treated === 'approved') return;
    await c.publish({}, { description: 'Socialdirektørforum har sendt det endelige lukkeregnskab tilbage til driftsherren', actor: 'system' });
  }
}
