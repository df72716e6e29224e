/**
 * Aftale om kommunekvoter for flygtninge (integrationsloven §§ 6-8; refugee-quota.md §1).
 *
 * Udlændingestyrelsen announces the landstal and the regionskvoter by 1 May. The municipalities of the region
 * "søger at indgå en aftale om kommunekvoter"; the agreement must be notified "inden den 10. september",
 * otherwise the agency "fastsætter" the quotas "inden den 30. september". Agreed and fixed quotas are different
 * legal states (basis 'aftalt' / 'fastsat'). Ukrainian refugees are outside the landstal and this procedure.
 */
import { CancellationScope, condition, defineUpdate, patched, setHandler, isCancellation } from '@temporalio/workflow';
import { z } from 'zod';
import type { DeadlineSpecInput } from '../contracts/deadlines';
import type { ReminderLadderInput } from '../domain/calendar/reminders';
import { validateQuotaAgreement } from '../domain/refugeeQuota';
import { CaseRecord } from './blocks/caseRecord';
import { DeadlineBook } from './blocks/deadlines';
import { Collections } from './blocks/responses';
import { Approvals } from './blocks/approvals';
import { runUntilWithdrawn } from './blocks/withdrawal';
import { acts } from './blocks/proxies';
import { copenhagenToday } from './blocks/time';
import { LANDSTAL_CLAUSE_LABELS, type MunicipalQuotaLine, type LandstalClause, type RefugeeQuotaInput, type QuotaBasis, type RefugeeQuotaDetails } from '../contracts/refugeeQuota';
export * from '../contracts/refugeeQuota';

// ---- What municipalities answer ----
export const positionAnswerSchema = z.discriminatedUnion('position', [
  z.object({ position: z.literal('agree') }),
  z.object({ position: z.literal('object'), reason: z.string().trim().min(5, 'Angiv en begrundelse (mindst 5 tegn)').max(5000) }),
  z.object({
    position: z.literal('propose'),
    reason: z.string().trim().max(5000).optional(),
    quotas: z.array(z.object({ kommunenr: z.number().int(), quota: z.number().int().min(0) })).min(1, 'Angiv de foreslåede kvoter'),
  }),
]);
export type PositionAnswer = z.infer<typeof positionAnswerSchema>;

export const ratificationAnswerSchema = z.object({
  ratified: z.boolean(),
  councilMeetingDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Dato for kommunalbestyrelsens møde (ÅÅÅÅ-MM-DD)'),
  note: z.string().max(2000).optional(),
});

// ---- The secretariat's steps ----
export interface KkrDecisionInput {
  choice: 'followCalculated' | 'ownAgreement';
  quotas?: { kommunenr: number; quota: number }[];
  landstalClause: LandstalClause;
  meetingDate: string;
  actor: string;
}
export const recordKkrDecisionUpdate = defineUpdate<RefugeeQuotaDetails, [KkrDecisionInput]>('recordKkrDecision');

export interface SendNotificationInput {
  withReservation: boolean;
  actor: string;
}
export const sendNotificationUpdate = defineUpdate<{ sentTo: string }, [SendNotificationInput]>('sendNotification');

export interface RecordFixedQuotasInput {
  /** Omitted: the agency fixed the quotas of Bilag B (the calculated ones), as it announced it would. */
  quotas?: { kommunenr: number; quota: number }[];
  fixedDate: string;
  actor: string;
}
export const recordFixedQuotasUpdate = defineUpdate<RefugeeQuotaDetails, [RecordFixedQuotasInput]>('recordFixedQuotas');

export interface LandstalChangedInput {
  newLandstal: number;
  newRegionQuota: number;
  newCalculatedQuotas: { kommunenr: number; quota: number }[];
  actor: string;
}
export const landstalChangedUpdate = defineUpdate<RefugeeQuotaDetails, [LandstalChangedInput]>('landstalChanged');

const fmtTable = (rows: MunicipalQuotaLine[]) => rows.map((r) => `${r.name} (${r.kommunenr}): ${r.quota}`).join(', ');

function checkQuotas(input: RefugeeQuotaInput | RefugeeQuotaDetails, quotas: { kommunenr: number; quota: number }[], regionQuota: number) {
  const result = validateQuotaAgreement({
    region: input.region,
    regionQuota,
    municipalities: input.calculatedQuotas.map((q) => ({ kommunenr: q.kommunenr, name: q.name })),
    proposed: quotas,
  });
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('; '));
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
  const c = new CaseRecord({
    procedure: 'refugeeQuota',
    title: `Kommunekvoter for flygtninge ${input.quotaYear}, ${input.region}`,
    stage: 'Oprettet',
    details: details as unknown as Record<string, unknown>,
  });
  const deadlines = new DeadlineBook(c);
  const collections = new Collections(c, deadlines);
  const approvals = new Approvals(c);
  const parties = input.calculatedQuotas.map((q) => ({ partyId: q.partyId, name: q.name }));

  let kkr: KkrDecisionInput | undefined;
  let awaitingKkr = false;
  let notified = false;
  let readyToNotify = false;
  let agencyFixed = false;
  let awaitingAgency = false;

  setHandler(
    recordKkrDecisionUpdate,
    async (d) => {
      kkr = d;
      details.kkrDecision = { choice: d.choice, landstalClause: d.landstalClause, meetingDate: d.meetingDate, decidedBy: d.actor };
      if (d.choice === 'ownAgreement') details.quotas = withQuotas(input.calculatedQuotas, d.quotas!);
      await c.publish(
        {},
        {
          description:
            `KKR Syddanmark har besluttet (møde ${d.meetingDate}): ` +
            (d.choice === 'followCalculated' ? 'at følge Udlændingestyrelsens beregnede kvoter' : `egen aftale om fordelingen: ${fmtTable(details.quotas)}`) +
            `. Klausul om ændret landstal: ${LANDSTAL_CLAUSE_LABELS[d.landstalClause]}`,
          actor: d.actor,
        },
      );
      return details;
    },
    {
      validator: (d) => {
        if (!awaitingKkr) throw new Error('Sagen afventer ikke KKR’s beslutning nu');
        if (!['followCalculated', 'ownAgreement'].includes(d.choice)) throw new Error('Vælg om KKR følger de beregnede kvoter eller indgår egen aftale');
        if (!(d.landstalClause in LANDSTAL_CLAUSE_LABELS)) throw new Error('Vælg aftalens klausul om ændret landstal');
        if (!/^\d{4}-\d{2}-\d{2}$/.test(d.meetingDate ?? '')) throw new Error('Mødedato skal være en dato (ÅÅÅÅ-MM-DD)');
        if (d.choice === 'ownAgreement') {
          if (!d.quotas) throw new Error('En egen aftale skal angive kvoten for hver kommune');
          checkQuotas(input, d.quotas, input.regionQuota);
        }
        if (!d.actor) throw new Error('Mangler aktør');
      },
    },
  );

  setHandler(
    sendNotificationUpdate,
    async (n) => {
      const doc = await acts.renderRefugeeNotification({ caseId: c.state.caseId, details, withReservation: n.withReservation, date: copenhagenToday() });
      await acts.sendDocument({
        caseId: c.state.caseId,
        step: 'notification',
        recipient: input.agencyEmail,
        subject: `Aftale om kommunekvoter ${input.quotaYear} – ${input.region}`,
        body: `Hermed meddeles aftalen om kommunekvoter for ${input.quotaYear} i ${input.region}. Aftalen er vedhæftet.`,
        document: doc,
      });
      notified = true;
      details.basis = 'aftalt';
      details.notifiedAt = new Date().toISOString();
      details.withReservation = n.withReservation;
      await c.publish(
        {},
        {
          description: `Aftalen er meddelt Udlændingestyrelsen (${input.agencyEmail})${n.withReservation ? ' med forbehold for politisk godkendelse i de enkelte kommuner' : ''}`,
          actor: n.actor,
          documents: [doc],
        },
      );
      return { sentTo: input.agencyEmail };
    },
    {
      validator: (n) => {
        if (agencyFixed || awaitingAgency) throw new Error('Fristen for at meddele en aftale er udløbet; Udlændingestyrelsen fastsætter kvoterne');
        if (notified) throw new Error('Aftalen er allerede meddelt Udlændingestyrelsen');
        if (!readyToNotify) throw new Error('Aftalen kan først meddeles, når KKR har truffet beslutning');
        if (!n.actor) throw new Error('Mangler aktør');
      },
    },
  );

  setHandler(
    recordFixedQuotasUpdate,
    async (f) => {
      agencyFixed = true;
      details.basis = 'fastsat';
      details.quotas = f.quotas ? withQuotas(input.calculatedQuotas, f.quotas) : input.calculatedQuotas;
      await c.publish({}, { description: `Udlændingestyrelsen har fastsat kommunekvoterne (${f.fixedDate}): ${fmtTable(details.quotas)}`, actor: f.actor });
      return details;
    },
    {
      validator: (f) => {
        if (!awaitingAgency) throw new Error('Kvoterne fastsættes kun af Udlændingestyrelsen, når der ikke er meddelt en aftale inden fristen');
        if (agencyFixed) throw new Error('Fastsættelsen er allerede registreret');
        if (f.quotas) checkQuotas(input, f.quotas, input.regionQuota);
        if (!/^\d{4}-\d{2}-\d{2}$/.test(f.fixedDate ?? '')) throw new Error('Dato for fastsættelsen skal være en dato (ÅÅÅÅ-MM-DD)');
        if (!f.actor) throw new Error('Mangler aktør');
      },
    },
  );

  let landstalChange: LandstalChangedInput | undefined;
  setHandler(
    landstalChangedUpdate,
    async (l) => {
      landstalChange = l;
      const old = details.landstal;
      details.landstal = l.newLandstal;
      details.regionQuota = l.newRegionQuota;
      details.calculatedQuotas = withQuotas(input.calculatedQuotas, l.newCalculatedQuotas);
      const wasAgreed = details.basis === 'aftalt';
      const clause: LandstalClause = wasAgreed ? (details.kkrDecision?.landstalClause ?? 'lapses') : 'lapses';
      let outcome: string;
      if (wasAgreed && clause === 'survives') {
        outcome = 'Aftalen gælder fortsat efter sin klausul; kvoterne er uændrede';
      } else if (wasAgreed && clause === 'rescale') {
        const rescaled = await acts.rescaleQuotas({ quotas: details.quotas.map((q) => ({ kommunenr: q.kommunenr, quota: q.quota })), newTotal: l.newRegionQuota });
        details.quotas = withQuotas(input.calculatedQuotas, rescaled);
        outcome = `Aftalens kvoter er omregnet forholdsmæssigt til regionskvoten ${l.newRegionQuota}: ${fmtTable(details.quotas)}`;
      } else {
        details.basis = 'fastsat';
        details.quotas = details.calculatedQuotas;
        outcome = `${wasAgreed ? 'Aftalen bortfalder. ' : ''}Udlændingestyrelsen fastsætter de nye kvoter: ${fmtTable(details.quotas)}`;
      }
      await c.publish({}, { description: `Landstallet er ændret fra ${old} til ${l.newLandstal} (regionskvote ${l.newRegionQuota}). ${outcome}`, actor: l.actor });
      return details;
    },
    {
      validator: (l) => {
        if (!Number.isInteger(l.newLandstal) || l.newLandstal < 0) throw new Error('Landstallet skal være et helt tal ≥ 0');
        if (!Number.isInteger(l.newRegionQuota) || l.newRegionQuota < 0) throw new Error('Regionskvoten skal være et helt tal ≥ 0');
        checkQuotas(input, l.newCalculatedQuotas, l.newRegionQuota);
        if (!l.actor) throw new Error('Mangler aktør');
      },
    },
  );

  const outcome = await runUntilWithdrawn(c, async () => {
    await c.publish(
      { parties: parties.map((p) => ({ ...p, state: 'afventer' })) },
      {
        description: `Sag oprettet: landstal ${input.landstal}, regionskvote ${input.regionQuota} for ${input.region} (meddelt ${input.announcementDate}). Ukrainske fordrevne er ikke omfattet af landstallet.`,
        actor: input.startedBy,
      },
    );
    await deadlines.add('positions', 'Kommunernes tilbagemelding', input.deadlines.positions, input.ladder);
    await deadlines.add('agreement', 'Meddelelse af aftale til Udlændingestyrelsen', input.deadlines.agreement, input.ladder);
    await deadlines.add('fallback', 'Udlændingestyrelsens fastsættelse', input.deadlines.fallback, { workingDaysBefore: [], onTheDay: false, escalateWorkingDaysAfter: null });

    // The agreement path runs until the notification is sent; the agreement deadline runs beside it and
    // cuts it off when it expires first.
    let agreementExpired = false;
    const agreementPath = new CancellationScope();
    const agreementWatch = deadlines.follow('agreement', {
      isDone: () => notified,
      onPoint: async (p) => {
        if (p.kind === 'expired') agreementExpired = true;
        else if (p.kind === 'reminder' || p.kind === 'due')
          await acts.notifySecretariat({
            caseId: c.state.caseId,
            step: `agreement:${p.kind}:${p.date}`,
            subject: `Påmindelse: aftale om kommunekvoter skal meddeles senest ${deadlines.get('agreement').plan.deadline.dueDate}`,
            heading: 'Aftalen om kommunekvoter er endnu ikke meddelt Udlændingestyrelsen',
            paragraphs: [`Sagen står i fasen "${c.state.stage}".`],
          });
      },
    });
    // Awaited further down; marked as handled now so that a withdrawal (which cancels it while nobody is
    // awaiting it yet) is not an unhandled rejection that fails the workflow task.
    agreementWatch.catch(() => undefined);
    const agreement = agreementPath.run(async () => {
      await c.publish({ stage: 'Høring af kommunerne' }, { description: 'Forslaget om fordeling sendes til regionens kommuner', actor: 'system' });
      await collections.run({
        key: 'positions',
        label: 'Kommunernes tilbagemelding på fordelingen',
        parties,
        answerSchema: positionAnswerSchema,
        describeAnswer: (a) =>
          a.position === 'agree' ? 'tilslutter sig fordelingen' : a.position === 'object' ? `gør indsigelse: ${a.reason}` : `foreslår andre tal: ${a.quotas.map((q) => `${q.kommunenr}: ${q.quota}`).join(', ')}`,
        deadlineKey: 'positions',
        notice: {
          procedure: 'refugeeQuota',
          subject: (k) => (k === 'invitation' ? `Fordeling af flygtninge ${input.quotaYear}: kommunens tilbagemelding` : `Påmindelse: fordeling af flygtninge ${input.quotaYear}`),
          heading: `Forslag til kommunekvoter for ${input.quotaYear} i ${input.region}`,
          paragraphs: [
            `Udlændingestyrelsen har ${input.announcementDate} meddelt landstallet ${input.landstal} og regionskvoten ${input.regionQuota} for ${input.region}.`,
            `De beregnede kommunekvoter er: ${fmtTable(input.calculatedQuotas)}.`,
            'Meld venligst tilbage, om kommunen kan tilslutte sig fordelingen, gør indsigelse eller foreslår andre tal.',
          ],
        },
      });
      for (;;) {
        const rec = await approvals.run('k22', 'Indstilling om fordelingen', ['K22'], { deadlineDueDate: deadlines.get('agreement').plan.deadline.dueDate });
        await c.publish({}, { description: `K22’s indstilling: ${rec === 'approved' ? 'anbefaler fordelingen' : rec === 'amend' ? 'ønsker fordelingen ændret' : 'anbefaler ikke fordelingen'}`, actor: 'system' });
        const kkrMeetings = await acts.meetingsOf({ body: 'KKR', from: copenhagenToday(), until: deadlines.get('agreement').plan.deadline.dueDate });
        const warn = kkrMeetings.length === 0 ? ' ADVARSEL: intet KKR-møde før fristen' : kkrMeetings.length === 1 ? ` Bemærk: kun ét KKR-møde (${kkrMeetings[0]}) før fristen` : '';
        awaitingKkr = true;
        await c.publish({ stage: 'Afventer KKR’s beslutning' }, { description: `Sagen afventer KKR Syddanmarks beslutning${kkrMeetings[0] ? ` (planlagt møde ${kkrMeetings[0]})` : ''}.${warn}`, actor: 'system' });
        if (warn && !c.state.warnings.includes(warn.trim())) c.state.warnings.push(warn.trim());
        await condition(() => kkr !== undefined);
        awaitingKkr = false;
        break;
      }
      readyToNotify = true;
      await c.publish({ stage: 'Klar til meddelelse til Udlændingestyrelsen' }, { description: 'Meddelelsen til Udlændingestyrelsen kan sendes', actor: 'system' });
      await condition(() => notified);
    });
    await Promise.race([agreement, condition(() => agreementExpired)]);
    if (!notified) {
      agreementPath.cancel();
      try {
        await agreement;
      } catch (e) {
        if (!isCancellation(e)) throw e;
      }
      for (const col of Object.values(c.state.collections)) if (col.status === 'open') col.status = 'finished';
      if (deadlines.get('positions').status === 'open') await deadlines.close('positions', 'cancelled');
    }

    // Versioned (README, "Changing a running procedure"): from 3 December 2026 the quotas in force, agreed or
    // fixed, are e-mailed to the region's municipalities; histories recorded before replay without it.
    const tellMunicipalities = patched('refugee-final-quotas-to-municipalities');
    const notifyFinalQuotas = async (how: string) => {
      const sent = await acts.notifyParties({
        caseId: c.state.caseId,
        procedure: 'refugeeQuota',
        step: 'finalQuotas',
        partyIds: parties.map((p) => p.partyId),
        subject: `Kommunekvoter for flygtninge ${input.quotaYear} i ${input.region}: ${how}`,
        content: {
          heading: `Kommunekvoterne for ${input.quotaYear} i ${input.region} er ${how}`,
          paragraphs: [
            `Kommunekvoterne er ${details.basis === 'fastsat' ? 'fastsat af Udlændingestyrelsen' : details.kkrDecision?.choice === 'followCalculated' ? 'aftalt efter Udlændingestyrelsens beregning' : 'aftalt af kommunerne i regionen'} (integrationslovens § 8).`,
            `Kvoterne: ${fmtTable(details.quotas)}.`,
          ],
          facts: [{ label: 'Sagsnummer', value: c.state.caseId }],
        },
      });
      await c.publish({}, { description: `Kommunekvoterne er sendt til regionens kommuner (${sent.recipients} e-mails)`, actor: 'system' });
    };

    if (notified) {
      await deadlines.close('agreement', 'met');
      await deadlines.close('fallback', 'cancelled');
      if (tellMunicipalities) await notifyFinalQuotas('aftalt');
      if (input.ratificationRequired) {
        const ratificationSpec = input.ratificationDeadline ?? { wording: 'senest 30 dage efter meddelelsen', rule: 'generalShift' as const, nominalDate: addDaysIso(copenhagenToday(), 30) };
        await deadlines.add('ratification', 'Ratifikation i kommunalbestyrelserne', ratificationSpec, input.ladder);
        await c.publish({ stage: 'Ratifikation i kommunalbestyrelserne' }, { description: 'Kommunalbestyrelserne bedes ratificere aftalen', actor: 'system' });
        const r = await collections.run({
          key: 'ratification',
          label: 'Ratifikation af aftalen',
          parties,
          answerSchema: ratificationAnswerSchema,
          describeAnswer: (a) => `${a.ratified ? 'ratificeret' : 'ikke ratificeret'} på møde ${a.councilMeetingDate}`,
          deadlineKey: 'ratification',
          notice: {
            procedure: 'refugeeQuota',
            subject: (k) => (k === 'invitation' ? `Ratifikation: aftale om kommunekvoter ${input.quotaYear}` : `Påmindelse: ratifikation af aftale om kommunekvoter ${input.quotaYear}`),
            heading: `Aftalen om kommunekvoter for ${input.quotaYear} er meddelt Udlændingestyrelsen`,
            paragraphs: [`Aftalen: ${fmtTable(details.quotas)}.`, 'Meld venligst tilbage, når kommunalbestyrelsen har behandlet aftalen.'],
          },
        });
        const refused = r.parties.filter((p) => p.state === 'answered' && !(p.answer as { ratified: boolean }).ratified);
        if (refused.length) {
          const w = `Ikke ratificeret af ${refused.map((p) => p.name).join(', ')}: aftalen bør genforhandles eller Udlændingestyrelsen orienteres`;
          c.state.warnings.push(w);
          await c.publish({}, { description: w, actor: 'system' });
        }
      }
      await c.publish({ stage: 'Aftalt', status: 'completed' }, { description: `Kommunekvoterne for ${input.quotaYear} er aftalt: ${fmtTable(details.quotas)}`, actor: 'system' });
    } else {
      await deadlines.close('agreement', 'expired');
      awaitingAgency = true;
      await c.publish(
        { stage: 'Afventer Udlændingestyrelsens fastsættelse' },
        { description: 'Der er ikke meddelt en aftale inden fristen. Udlændingestyrelsen fastsætter kommunekvoterne (integrationslovens § 8, stk. 3).', actor: 'system' },
      );
      await deadlines.follow('fallback', { isDone: () => agencyFixed, onPoint: async () => undefined });
      if (!agencyFixed) {
        // The agency announced it would fix the quotas of Bilag B; after its deadline they are in force.
        agencyFixed = true;
        details.basis = 'fastsat';
        details.quotas = input.calculatedQuotas;
      }
      awaitingAgency = false;
      await deadlines.close('fallback', 'met');
      if (tellMunicipalities) await notifyFinalQuotas('fastsat');
      await c.publish({ stage: 'Fastsat af Udlændingestyrelsen', status: 'completed' }, { description: `Kommunekvoterne for ${input.quotaYear} er fastsat af Udlændingestyrelsen: ${fmtTable(details.quotas)}`, actor: 'system' });
    }
    await agreementWatch;

    // The case stays able to take a changed landstal until the quota year has ended.
    const endOfQuotaYear = Date.parse(`${input.quotaYear + 1}-01-01T00:00:00+01:00`);
    for (;;) {
      const seen = landstalChange;
      const changed = await condition(() => landstalChange !== seen, Math.max(0, endOfQuotaYear - Date.now()));
      if (!changed) break;
    }
    return details.basis;
  });
  return { basis: details.basis, status: outcome === 'withdrawn' ? 'withdrawn' : c.state.status };
}

function addDaysIso(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
