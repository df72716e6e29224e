/**
 * Aftale om kommunekvoter for flygtninge (integrationsloven §§ 6-8; refugee-quota.md §1).
 *
 * Udlændingestyrelsen announces the landstal and the regionskvoter by 1 May. The municipalities of the region
 * "søger at indgå en aftale om kommunekvoter"; the agreement must be notified "inden den 10. september",
 * otherwise the agency "fastsætter" the quotas "inden den 30. september". Agreed and fixed quotas are different
 * legal states (basis 'aftalt' / 'fastsat'). Ukrainian refugees are outside the landstal and this procedure.
 *
 * The steps' handlers record facts (the decision, the notification, the fixing, a changed landstal); the flow
 * below acts on them in the order of the procedure.
 */
import { CancellationScope, condition, patched, isCancellation } from '@temporalio/workflow';
import { validateQuotaAgreement } from '../../domain/refugeeQuota';
import { CaseRecord } from '../blocks/caseRecord';
import { DeadlineBook } from '../blocks/deadlines';
import { Collections } from '../blocks/responses';
import { Approvals } from '../blocks/approvals';
import { runUntilWithdrawn } from '../blocks/withdrawal';
import { acts } from '../blocks/proxies';
import { copenhagenToday } from '../blocks/time';
import { documentsByReference } from '../blocks/documents';
import {
  LANDSTAL_CLAUSE_LABELS,
  landstalChangedStep,
  positionAnswer,
  ratificationAnswer,
  recordFixedQuotasStep,
  recordKkrDecisionStep,
  sendNotificationStep,
  type LandstalClause,
  type MunicipalQuotaLine,
  type QuotaBasis,
  type RefugeeQuotaDetails,
  type RefugeeQuotaInput,
} from './contract';
import { agreementReminder, finalQuotasNotice, notificationEmail, positionsNotice, quotaTable, ratificationNotice } from './messages';

export type { RefugeeQuotaInput, RefugeeQuotaDetails };

/** The proposed table is the region's municipalities, each once, summing to the region quota; or why not. */
function quotaProblem(details: RefugeeQuotaDetails, quotas: { kommunenr: number; quota: number }[] | undefined, regionQuota: number): string | undefined {
  if (!quotas) return undefined;
  const result = validateQuotaAgreement({
    region: details.region,
    regionQuota,
    municipalities: details.calculatedQuotas.map((q) => ({ kommunenr: q.kommunenr, name: q.name })),
    proposed: quotas,
  });
  return result.ok ? undefined : result.errors.map((e) => e.message).join('; ');
}

function withQuotas(base: MunicipalQuotaLine[], quotas: { kommunenr: number; quota: number }[]): MunicipalQuotaLine[] {
  return base.map((b) => ({ ...b, quota: quotas.find((q) => q.kommunenr === b.kommunenr)!.quota }));
}

export async function refugeeQuotaAgreement(input: RefugeeQuotaInput): Promise<{ basis: QuotaBasis; status: string }> {
  const details: RefugeeQuotaDetails = {
    quotaYear: input.quotaYear,
    landstal: input.landstal,
    region: input.region,
    regionQuota: input.regionQuota,
    calculatedQuotas: input.calculatedQuotas,
    quotas: input.calculatedQuotas,
    basis: 'beregnet',
  };
  const c = new CaseRecord({ procedure: 'refugeeQuota', title: `Kommunekvoter for flygtninge ${input.quotaYear}, ${input.region}`, stage: 'Oprettet', details: details });
  const deadlines = new DeadlineBook(c);
  const collections = new Collections(c, deadlines);
  const approvals = new Approvals(c);
  const parties = input.calculatedQuotas.map((q) => ({ partyId: q.partyId, name: q.name }));

  // ---- The facts the steps record ----
  const facts = { kkrDecided: false, awaitingKkr: false, readyToNotify: false, notified: false, awaitingAgency: false, agencyFixed: false, landstalChanges: 0 };

  c.step(recordKkrDecisionStep, {
    dueWhen: () => facts.awaitingKkr && !facts.kkrDecided,
    // Against the region quota in force: a changed landstal may have changed it since the start.
    check: (d) => (d.choice === 'ownAgreement' ? quotaProblem(details, d.quotas, details.regionQuota) : undefined),
    run: async (d) => {
      facts.kkrDecided = true;
      details.kkrDecision = { choice: d.choice, landstalClause: d.landstalClause, meetingDate: d.meetingDate, decidedBy: d.actor };
      if (d.choice === 'ownAgreement') details.quotas = withQuotas(input.calculatedQuotas, d.quotas!);
      const what = d.choice === 'followCalculated' ? 'at følge Udlændingestyrelsens beregnede kvoter' : `egen aftale om fordelingen: ${quotaTable(details.quotas)}`;
      await c.publish({}, { description: `KKR Syddanmark har besluttet (møde ${d.meetingDate}): ${what}. Klausul om ændret landstal: ${LANDSTAL_CLAUSE_LABELS[d.landstalClause]}`, actor: d.actor });
      return details;
    },
  });

  c.step(sendNotificationStep, {
    dueWhen: () => facts.readyToNotify && !facts.notified && !facts.awaitingAgency && !facts.agencyFixed,
    notDueBecause: () =>
      facts.awaitingAgency || facts.agencyFixed
        ? 'Fristen for at meddele en aftale er udløbet; Udlændingestyrelsen fastsætter kvoterne'
        : facts.notified
          ? 'Aftalen er allerede meddelt Udlændingestyrelsen'
          : 'Aftalen kan først meddeles, når KKR har truffet beslutning',
    run: async (n) => {
      const notification = { caseId: c.state.caseId, details, withReservation: n.withReservation, date: copenhagenToday() };
      const doc = documentsByReference() ? await acts.keepRefugeeNotification(notification) : await acts.renderRefugeeNotification(notification);
      await acts.sendDocument({ caseId: c.state.caseId, step: 'notification', recipient: input.agencyEmail, ...notificationEmail(input), document: doc });
      facts.notified = true;
      details.basis = 'aftalt';
      details.notifiedAt = new Date().toISOString();
      details.withReservation = n.withReservation;
      const reservation = n.withReservation ? ' med forbehold for politisk godkendelse i de enkelte kommuner' : '';
      await c.publish({}, { description: `Aftalen er meddelt Udlændingestyrelsen (${input.agencyEmail})${reservation}`, actor: n.actor, documents: [doc] });
      return { sentTo: input.agencyEmail };
    },
  });

  c.step(recordFixedQuotasStep, {
    dueWhen: () => facts.awaitingAgency && !facts.agencyFixed,
    notDueBecause: () => (facts.agencyFixed ? 'Fastsættelsen er allerede registreret' : undefined),
    check: (f) => quotaProblem(details, f.quotas, details.regionQuota),
    run: async (f) => {
      facts.agencyFixed = true;
      details.basis = 'fastsat';
      details.quotas = f.quotas ? withQuotas(input.calculatedQuotas, f.quotas) : input.calculatedQuotas;
      await c.publish({}, { description: `Udlændingestyrelsen har fastsat kommunekvoterne (${f.fixedDate}): ${quotaTable(details.quotas)}`, actor: f.actor });
      return details;
    },
  });

  c.step(landstalChangedStep, {
    dueWhen: () => true,
    // The quotas in force can change until the quota year has ended, also after the case has completed.
    afterCompletion: true,
    check: (l) => quotaProblem(details, l.newCalculatedQuotas, l.newRegionQuota),
    run: async (l) => {
      const old = details.landstal;
      details.landstal = l.newLandstal;
      details.regionQuota = l.newRegionQuota;
      details.calculatedQuotas = withQuotas(input.calculatedQuotas, l.newCalculatedQuotas);
      const outcome = await applyLandstalChange(l.newRegionQuota);
      facts.landstalChanges += 1;
      await c.publish({}, { description: `Landstallet er ændret fra ${old} til ${l.newLandstal} (regionskvote ${l.newRegionQuota}). ${outcome}`, actor: l.actor });
      return details;
    },
  });

  /** What a changed landstal does to the quotas in force: an agreement follows its clause; otherwise the agency
   * fixes the new calculated quotas. Versioned (README, "Changing a running procedure"): from 3 December 2026 a
   * change before anything is notified or fixed keeps the agreement process going on the new numbers (it used
   * to switch the case to "fastsat" with no decision of anyone); histories recorded before replay without it. */
  async function applyLandstalChange(newRegionQuota: number): Promise<string> {
    if (details.basis === 'beregnet' && !facts.awaitingAgency && !facts.agencyFixed && patched('refugee-landstal-change-by-stage')) return landstalChangedBeforeAgreement(newRegionQuota);
    const wasAgreed = details.basis === 'aftalt';
    const clause: LandstalClause = wasAgreed ? (details.kkrDecision?.landstalClause ?? 'lapses') : 'lapses';
    if (wasAgreed && clause === 'survives') return 'Aftalen gælder fortsat efter sin klausul; kvoterne er uændrede';
    if (wasAgreed && clause === 'rescale') {
      const rescaled = await acts.rescaleQuotas({ quotas: details.quotas.map((q) => ({ kommunenr: q.kommunenr, quota: q.quota })), newTotal: newRegionQuota });
      details.quotas = withQuotas(input.calculatedQuotas, rescaled);
      return `Aftalens kvoter er omregnet forholdsmæssigt til regionskvoten ${newRegionQuota}: ${quotaTable(details.quotas)}`;
    }
    details.basis = 'fastsat';
    details.quotas = details.calculatedQuotas;
    return `${wasAgreed ? 'Aftalen bortfalder. ' : ''}Udlændingestyrelsen fastsætter de nye kvoter: ${quotaTable(details.quotas)}`;
  }

  /** A changed landstal while the agreement is still being made: the calculated quotas are the new ones, and
   * KKR's own distribution, made for the old region quota, is decided again if it no longer adds up. */
  function landstalChangedBeforeAgreement(newRegionQuota: number): string {
    const decision = facts.kkrDecided ? details.kkrDecision : undefined;
    if (decision?.choice === 'ownAgreement') {
      const problem = quotaProblem(details, details.quotas, newRegionQuota);
      if (!problem) return `KKR’s egen aftale om fordelingen passer også til den nye regionskvote og gælder fortsat: ${quotaTable(details.quotas)}`;
      facts.kkrDecided = false;
      details.kkrDecision = undefined;
      details.quotas = details.calculatedQuotas;
      const w = `KKR’s egen aftale om fordelingen passer ikke til den nye regionskvote ${newRegionQuota} (${problem}); KKR skal træffe beslutning igen`;
      c.state.warnings.push(w);
      return w;
    }
    details.quotas = details.calculatedQuotas;
    return decision
      ? `KKR’s beslutning om at følge Udlændingestyrelsens beregning gælder de nye beregnede kvoter: ${quotaTable(details.quotas)}`
      : `Der er endnu ikke meddelt en aftale; aftaleforløbet fortsætter med de nye beregnede kvoter: ${quotaTable(details.quotas)}`;
  }

  /** The hearing of the municipalities, K22's recommendation and KKR's decision, then the notification. */
  async function agreementPath(): Promise<void> {
    await c.publish({ stage: 'Høring af kommunerne' }, { description: 'Forslaget om fordeling sendes til regionens kommuner', actor: 'system' });
    await collections.run({
      key: 'positions',
      label: 'Kommunernes tilbagemelding på fordelingen',
      parties,
      answer: positionAnswer,
      describeAnswer: (a) => (a.position === 'agree' ? 'tilslutter sig fordelingen' : a.position === 'object' ? `gør indsigelse: ${a.reason}` : `foreslår andre tal: ${(a.quotas ?? []).map((q) => `${q.kommunenr}: ${q.quota}`).join(', ')}`),
      deadlineKey: 'positions',
      notice: positionsNotice(input),
    });
    const agreementDue = deadlines.get('agreement').plan.deadline.dueDate;
    const rec = await approvals.run('k22', 'Indstilling om fordelingen', ['K22'], { deadlineDueDate: agreementDue });
    await c.publish({}, { description: `K22’s indstilling: ${rec === 'approved' ? 'anbefaler fordelingen' : rec === 'amend' ? 'ønsker fordelingen ændret' : 'anbefaler ikke fordelingen'}`, actor: 'system' });
    const kkrMeetings = await acts.meetingsOf({ body: 'KKR', from: copenhagenToday(), until: agreementDue });
    const warn = kkrMeetings.length === 0 ? 'ADVARSEL: intet KKR-møde før fristen' : kkrMeetings.length === 1 ? `Bemærk: kun ét KKR-møde (${kkrMeetings[0]}) før fristen` : '';
    facts.awaitingKkr = true;
    await c.publish({ stage: 'Afventer KKR’s beslutning' }, { description: `Sagen afventer KKR Syddanmarks beslutning${kkrMeetings[0] ? ` (planlagt møde ${kkrMeetings[0]})` : ''}.${warn ? ` ${warn}` : ''}`, actor: 'system' });
    if (warn && !c.state.warnings.includes(warn)) c.state.warnings.push(warn);
    for (;;) {
      await condition(() => facts.kkrDecided);
      facts.awaitingKkr = false;
      facts.readyToNotify = true;
      await c.publish({ stage: 'Klar til meddelelse til Udlændingestyrelsen' }, { description: 'Meddelelsen til Udlændingestyrelsen kan sendes', actor: 'system' });
      // A changed landstal can undo KKR's own distribution before it is notified (landstalChangedBeforeAgreement).
      await condition(() => facts.notified || !facts.kkrDecided);
      if (facts.notified) return;
      facts.readyToNotify = false;
      facts.awaitingKkr = true;
      await c.publish({ stage: 'Afventer KKR’s beslutning' }, { description: 'Sagen afventer igen KKR Syddanmarks beslutning om fordelingen efter det ændrede landstal', actor: 'system' });
    }
  }

  /** Runs the agreement path beside its deadline: whether the agreement was notified in time, and the deadline's
   * watch (it still sends its last notices). */
  async function agreementInTime(): Promise<{ inTime: boolean; watch: Promise<unknown> }> {
    let expired = false;
    const watch = deadlines.follow('agreement', {
      isDone: () => facts.notified,
      onPoint: async (p) => {
        if (p.kind === 'expired') expired = true;
        else if (p.kind === 'reminder' || p.kind === 'due') await acts.notifySecretariat({ caseId: c.state.caseId, step: `agreement:${p.kind}:${p.date}`, ...agreementReminder(deadlines.get('agreement').plan.deadline.dueDate, c.state.stage) });
      },
    });
    // Awaited at the end; marked as handled now so that a withdrawal (which cancels it while nobody awaits it
    // yet) is not an unhandled rejection that fails the workflow task.
    watch.catch(() => undefined);
    const scope = new CancellationScope();
    const path = scope.run(agreementPath);
    await Promise.race([path, condition(() => expired)]);
    if (!facts.notified) {
      scope.cancel();
      try {
        await path;
      } catch (e) {
        if (!isCancellation(e)) throw e;
      }
      for (const col of Object.values(c.state.collections)) if (col.status === 'open') col.status = 'finished';
      if (deadlines.get('positions').status === 'open') await deadlines.close('positions', 'cancelled');
    }
    return { inTime: facts.notified, watch };
  }

  // Versioned (README, "Changing a running procedure"): from 3 December 2026 the quotas in force, agreed or
  // fixed, are e-mailed to the region's municipalities; histories recorded before replay without it.
  async function tellMunicipalities(how: 'aftalt' | 'fastsat'): Promise<void> {
    if (!patched('refugee-final-quotas-to-municipalities')) return;
    const notice = finalQuotasNotice(input, details, how, c.state.caseId);
    const sent = await acts.notifyParties({ caseId: c.state.caseId, procedure: 'refugeeQuota', step: 'finalQuotas', partyIds: parties.map((p) => p.partyId), ...notice });
    await c.publish({}, { description: `Kommunekvoterne er sendt til regionens kommuner (${sent.recipients} e-mails)`, actor: 'system' });
  }

  /** The councils ratify the notified agreement; a refusal is a warning on the case. */
  async function ratification(): Promise<void> {
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
  async function fixedByAgency(): Promise<void> {
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

  const outcome = await runUntilWithdrawn(c, async () => {
    await c.publish(
      { parties: parties.map((p) => ({ ...p, state: 'afventer' })) },
      { description: `Sag oprettet: landstal ${input.landstal}, regionskvote ${input.regionQuota} for ${input.region} (meddelt ${input.announcementDate}). Ukrainske fordrevne er ikke omfattet af landstallet.`, actor: input.startedBy },
    );
    await deadlines.add('positions', 'Kommunernes tilbagemelding', input.deadlines.positions, input.ladder);
    await deadlines.add('agreement', 'Meddelelse af aftale til Udlændingestyrelsen', input.deadlines.agreement, input.ladder);
    await deadlines.add('fallback', 'Udlændingestyrelsens fastsættelse', input.deadlines.fallback, { workingDaysBefore: [], onTheDay: false, escalateWorkingDaysAfter: null });

    const agreement = await agreementInTime();
    if (agreement.inTime) {
      await deadlines.close('agreement', 'met');
      await deadlines.close('fallback', 'cancelled');
      await tellMunicipalities('aftalt');
      if (input.ratificationRequired) await ratification();
      await c.publish({ stage: 'Aftalt', status: 'completed' }, { description: `Kommunekvoterne for ${input.quotaYear} er aftalt: ${quotaTable(details.quotas)}`, actor: 'system' });
    } else {
      await fixedByAgency();
      await tellMunicipalities('fastsat');
      await c.publish({ stage: 'Fastsat af Udlændingestyrelsen', status: 'completed' }, { description: `Kommunekvoterne for ${input.quotaYear} er fastsat af Udlændingestyrelsen: ${quotaTable(details.quotas)}`, actor: 'system' });
    }
    await agreement.watch;

    // The case stays able to take a changed landstal until the quota year has ended.
    const endOfQuotaYear = Date.parse(`${input.quotaYear + 1}-01-01T00:00:00+01:00`);
    for (;;) {
      const seen = facts.landstalChanges;
      if (!(await condition(() => facts.landstalChanges !== seen, Math.max(0, endOfQuotaYear - Date.now())))) break;
    }
    return details.basis;
  });
  return { basis: details.basis, status: outcome === 'withdrawn' ? 'withdrawn' : c.state.status };
}

function addDaysIso(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
