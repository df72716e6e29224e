/**
 * Side effects of the closure procedure (workflows/closure.ts): the notice period and the provisional-account
 * deadline from the calendar, the closing accounts and the settlement from the domain calculation (both kept as
 * documents in the journal), and e-mails with attachments to parties, to Forretningsudvalget's addresses and to
 * each payer with its own amount.
 */
import type { createDirectoryActivities } from './directory';
import type { createEmailActivities, OutgoingEmail } from './email';
import { renderCaseEmail, type CaseEmailContent } from './emailTemplate';
import { attachmentsOf, type CaseDocument } from './documents';
import type { DocumentRef, StepDocument } from '../contracts/documents';
import type { DocumentStore } from '../db/documents';
import type { DeadlineSpecInput } from './deadlines';
import { calculateClosureSettlement, type ClosureSettlementInput, type ClosureSettlementResult } from '../domain/closureSettlement';
import { D } from '../domain/money';
import { NOTICE_ROWS, describeNoticeMeasure, noticePaymentEnd, type NoticeMeasure } from '../domain/calendar/notice';
import { provisionalClosureAccountDeadline } from '../domain/calendar/dateRules';
import { formatDanishDate } from '../domain/calendar/format';
import type { PlainDate } from '../domain/calendar/plainDate';
import type { ClosureDocumentContext, ClosureNoticePlan, ClosureSettlementView, NoticeReadingKind } from '../workflows/closure/contract';
export type { ClosureDocumentContext, ClosureNoticePlan, ClosureSettlementView, NoticeReadingKind };
export type { ClosureAccountFigures } from '../domain/closureSettlement';




/** "1.600.000 kr." (sign dropped; the text around it says who pays). */
export function danishKroner(amount: string): string {
  const d = new D(amount).abs();
  const [whole, frac] = (d.isInteger() ? d.toFixed(0) : d.toFixed(2)).split('.');
  return `${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, '.')}${frac ? `,${frac}` : ''} kr.`;
}

/** Signed amount for tables: "-1.000.000". */
function signedDanish(amount: string): string {
  return `${new D(amount).lt(0) ? '-' : ''}${danishKroner(amount).replace(' kr.', '')}`;
}

function percent(part: string, whole: string): string {
  const w = new D(whole);
  if (w.isZero()) return '0 %';
  const p = new D(part).div(w).times(100).toDecimalPlaces(1, D.ROUND_HALF_UP);
  return `${p.isInteger() ? p.toFixed(0) : p.toFixed(1).replace('.', ',')} %`;
}

const fmtDate = (d: string) => formatDanishDate(d as PlainDate);

function measureOf(reading: NoticeReadingKind): NoticeMeasure {
  const row = NOTICE_ROWS.lukning;
  return row.measure.kind === reading ? row.measure : row.alternative!;
}



function payerRows(ctx: ClosureDocumentContext, result: ClosureSettlementResult): string[] {
  const payers = ctx.settlementInput.payers ?? [];
  if (payers.length) {
    const pooled = payers.map((p) => new D(p.turnoverYearMinus2).plus(p.turnoverYearMinus1));
    const total = pooled.reduce((a, b) => a.plus(b), new D(0)).toFixed();
    const [y2, y1] = ctx.turnoverYears;
    return [
      `Fordeling på betalingskommuner efter andel af omsætningen i ${y2} og ${y1}:`,
      `Kommune;Omsætning ${y2};Omsætning ${y1};Andel;Beløb (positivt = skal betale, negativt = skal modtage)`,
      ...payers.map((p, i) => {
        const share = result.shares.find((s) => s.id === p.id)!;
        return [
          `${ctx.names[p.id] ?? p.id}${p.isOperator ? ' (driftsherre)' : ''}`,
          signedDanish(p.turnoverYearMinus2),
          signedDanish(p.turnoverYearMinus1),
          percent(pooled[i]!.toFixed(), total),
          signedDanish(share.amount),
        ].join(';');
      }),
    ];
  }
  const tilbud = ctx.settlementInput.otherRegionalTilbud ?? [];
  if (!tilbud.length) return [];
  return [
    'Fordeling på regionens øvrige tilbud:',
    'Tilbud;Beløb (positivt = dækker underskud, negativt = modtager overskud)',
    ...tilbud.map((t) => `${ctx.names[t.id] ?? t.id};${signedDanish(result.shares.find((s) => s.id === t.id)!.amount)}`),
  ];
}

function header(ctx: ClosureDocumentContext, title: string): string[] {
  return [
    title,
    `Tilbud: ${ctx.tilbudName}`,
    `Driftsherre: ${ctx.operatorName}`,
    `Sagsnummer: ${ctx.caseId}`,
    `Dato: ${fmtDate(ctx.date)}`,
    `Beslutning om lukning: ${fmtDate(ctx.decisionDate)}; lukkedato ${fmtDate(ctx.closingDate)}`,
    `Regelgrundlag: ${ctx.ruleVersion}, bilag 5 (den Rammeaftale, der gælder i beslutningsåret)`,
    '',
  ];
}

function lines(result: ClosureSettlementResult): string[] {
  return result.lines.map((l) => `${l.label}: ${signedDanish(l.amount)}`);
}

function warnings(result: ClosureSettlementResult): string[] {
  return result.warnings.length ? ['', 'Bemærkninger:', ...result.warnings.map((w) => `- ${w}`)] : [];
}

const txt = (name: string, content: string[]): CaseDocument => ({ name, mediaType: 'text/plain; charset=utf-8', content: content.join('\n') });

/**
 * The provisional or final closure account as a document: the operator's figures and, as Bilag 5 asks of
 * the provisional account, "en eventuel fordeling af disse på betalingskommuner" (002:1945-1946), computed
 * by the same calculation the settlement uses.
 */
type ClosureAccountInput = ClosureDocumentContext & { kind: 'provisional' | 'final'; auditorStatement?: string; revision: number };

function closureAccount(input: ClosureAccountInput): { document: CaseDocument; expected: ClosureSettlementResult } {
  const expected = calculateClosureSettlement(input.settlementInput);
  const title = input.kind === 'provisional' ? 'Foreløbigt lukkeregnskab' : 'Endeligt lukkeregnskab';
  const content = [
    ...header(input, `${title}${input.revision > 1 ? ` (revideret, version ${input.revision})` : ''}`),
    ...(input.kind === 'final'
      ? [`Revisionspåtegning: ${input.auditorStatement ?? 'ingen (der skal ikke ske efterregulering)'}`, '']
      : []),
    input.kind === 'provisional' ? 'Forventet resultat og forventet fordeling:' : 'Resultat og fordeling:',
    ...lines(expected),
    '',
    ...payerRows(input, expected),
    ...warnings(expected),
  ];
  return { document: txt(`${title} – ${input.tilbudName}${input.revision > 1 ? ` (version ${input.revision})` : ''}.txt`, content), expected };
}

/** The efterregulering (002:1769-1771) from the final account: the result and the settlement table, as a
 * text document and as a semicolon-separated table for the payers' finance departments. */
function closureSettlement(input: ClosureDocumentContext & { closedByAuthority: boolean }): { settlement: ClosureSettlementView; documents: CaseDocument[] } {
  const result = calculateClosureSettlement(input.settlementInput);
  const named = result.shares.map((s) => ({ ...s, name: input.names[s.id] ?? s.id }));
  const text = [
    ...header(input, input.closedByAuthority ? 'Opgørelse ved lukning af myndighed – ingen efterregulering' : 'Efterregulering ved lukning af tilbud'),
    ...lines(result),
    '',
    ...(input.closedByAuthority
      ? ['Tilbuddet er lukket af Socialtilsynet eller anden offentlig myndighed: et eventuelt underskud påhviler alene driftsherren, og der sker ingen efterregulering (bilag 5).']
      : payerRows(input, result)),
    ...warnings(result),
  ];
  const csv = [
    'Part;Beløb i kr. (positivt = skal betale / dække, negativt = skal modtage)',
    ...named.map((s) => `${s.name};${s.amount}`),
    `${input.operatorName} (samlet for driftsherre);${result.operatorTotal}`,
  ];
  return {
    settlement: { ...result, named },
    documents: [
      txt(`Efterregulering – ${input.tilbudName}.txt`, text),
      { name: `Efterregulering – ${input.tilbudName}.csv`, mediaType: 'text/csv; charset=utf-8', content: csv.join('\r\n') },
    ],
  };
}

export function createClosureActivities(deps: {
  documents: DocumentStore;
  directory: ReturnType<typeof createDirectoryActivities>;
  email: ReturnType<typeof createEmailActivities>;
  publicUrl: string;
}) {
  const caseUrl = (caseId: string) => `${deps.publicUrl}/sager/${encodeURIComponent(caseId)}`;

  /** An e-mail to parties from the directory (each greeted by name) and/or to plain addresses (e.g.
   * Forretningsudvalget), with the case's documents attached. */
const sendClosureMail = async (input: {
    caseId: string;
    step: string;
    reminder?: string;
    partyIds?: string[];
    addresses?: { greeting: string; emails: string[] };
    subject: string;
    content: Pick<CaseEmailContent, 'heading' | 'paragraphs' | 'facts'>;
    documents?: StepDocument[];
  }): Promise<{ recipients: number; partiesWithoutContact: string[] }> => {
    const link = { url: caseUrl(input.caseId), label: 'Se sagen' };
    const attachments = await attachmentsOf(deps.documents, input.caseId, input.documents);
    const messages: OutgoingEmail[] = [];
    const recipients = input.partyIds?.length ? await deps.directory.resolveRecipients({ partyIds: input.partyIds, procedure: 'closure' }) : [];
    for (const r of recipients) {
      const { text, html } = renderCaseEmail({ ...input.content, link, greeting: `Til ${r.name}` });
      for (const address of r.emails) {
        messages.push({ caseId: input.caseId, step: input.step, reminder: input.reminder, recipient: address, subject: input.subject, text, html, attachments });
      }
    }
    if (input.addresses) {
      const { text, html } = renderCaseEmail({ ...input.content, link, greeting: input.addresses.greeting });
      for (const address of input.addresses.emails) {
        messages.push({ caseId: input.caseId, step: input.step, reminder: input.reminder, recipient: address, subject: input.subject, text, html, attachments });
      }
    }
    // One outbox call per message, side by side: a broadcast to the whole region is 23 SMTP round trips, and the
    // outbox key keeps each message single however the attempts interleave or are retried.
    const results = await Promise.allSettled(messages.map((m) => deps.email.sendEmails([m])));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length) throw new Error(failed.map((f) => (f.reason as Error).message).join('; '));
    return { recipients: messages.length, partiesWithoutContact: recipients.filter((r) => r.emails.length === 0).map((r) => r.name) };
  };

  return {
    /**
     * The written closure notice ("løbende måned plus to måneder", Bilag 6, 002:2155-2160) under the chosen
     * reading and the other one (A-22), and the provisional-account deadline "senest 3 måneder efter
     * beslutningen" (002:1942-1943). Computed here because the calendar's holiday tables stay out of workflows.
     */
    async planClosureDates(input: { decisionDate: string; closingDate: string; noticeDate: string; reading: NoticeReadingKind }): Promise<{ notice: ClosureNoticePlan; provisionalSpec: DeadlineSpecInput }> {
      const noticeDate = input.noticeDate as PlainDate;
      const closingDate = input.closingDate as PlainDate;
      const otherReading: NoticeReadingKind = input.reading === 'runningMonthPlus' ? 'monthsDateToDate' : 'runningMonthPlus';
      // The notice row of Bilag 6 gives the earliest end the provider's notice allows; payment itself ends when
      // the tilbud closes (see ClosureNoticePlan.paidThrough).
      const applied = noticePaymentEnd({ row: 'lukning', noticeDate, measure: measureOf(input.reading) });
      const other = noticePaymentEnd({ row: 'lukning', noticeDate, measure: measureOf(otherReading) });
      const minimumEnd = applied.minimumEnd!;
      const closingBeforeNoticeEnd = closingDate < minimumEnd;
      const deadline = provisionalClosureAccountDeadline(input.decisionDate as PlainDate);
      return {
        notice: {
          noticeDate,
          reading: input.reading,
          readingText: describeNoticeMeasure(applied.measure),
          minimumEnd,
          paidThrough: closingDate,
          closingBeforeNoticeEnd,
          other: { reading: otherReading, readingText: describeNoticeMeasure(other.measure), paidThrough: closingDate, minimumEnd: other.minimumEnd! },
          explanation:
            `Opsigelsen er givet ${formatDanishDate(noticeDate)} med varslet ${describeNoticeMeasure(applied.measure)}, så tidligste ophør efter varslet er ${formatDanishDate(minimumEnd)}. ` +
            `Handlekommunerne betaler til og med lukkedatoen ${formatDanishDate(closingDate)}` +
            (closingBeforeNoticeEnd ? ', som ligger før varslets udløb.' : '.'),
        },
        provisionalSpec: { wording: deadline.wording, rule: deadline.rule, nominalDate: deadline.nominalDate },
      };
    },

    sendClosureMail,

    /** Histories before `documents-by-reference`: the account's content travels through the workflow. */
    async renderClosureAccount(input: ClosureAccountInput): Promise<{ document: CaseDocument; expected: ClosureSettlementResult }> {
      return closureAccount(input);
    },

    /** The account rendered and kept in the document store; the workflow holds the reference. */
    async keepClosureAccount(input: ClosureAccountInput): Promise<{ document: DocumentRef; expected: ClosureSettlementResult }> {
      const { document, expected } = closureAccount(input);
      return { document: await deps.documents.keep(input.caseId, document), expected };
    },

    /** Histories before `documents-by-reference`. */
    async settleClosure(input: ClosureDocumentContext & { closedByAuthority: boolean }): Promise<{ settlement: ClosureSettlementView; documents: CaseDocument[] }> {
      return closureSettlement(input);
    },

    /** The settlement with its documents kept in the document store. */
    async settleClosureKept(input: ClosureDocumentContext & { closedByAuthority: boolean }): Promise<{ settlement: ClosureSettlementView; documents: DocumentRef[] }> {
      const { settlement, documents } = closureSettlement(input);
      const kept: DocumentRef[] = [];
      for (const d of documents) kept.push(await deps.documents.keep(input.caseId, d));
      return { settlement, documents: kept };
    },

    /**
     * Tells each payer its own share and nothing else: the amount, whether it pays or receives, and its own
     * basis for the key. The operator gets its total as driftsherre (own risk, the centre's other tilbud and
     * its own citizens' share) and, for a regional tilbud, the distribution over its own other tilbud.
     */
    async notifySettlement(input: {
      caseId: string;
      tilbudName: string;
      operator: { partyId: string; name: string; type: 'municipal' | 'regional' };
      ruleVersion: string;
      turnoverYears: [number, number];
      settlementInput: ClosureSettlementInput;
      settlement: ClosureSettlementView;
    }): Promise<{ notified: string[] }> {
      const s = input.settlement;
      const [y2, y1] = input.turnoverYears;
      const payers = input.settlementInput.payers ?? [];
      const pooledTotal = payers.reduce((a, p) => a.plus(p.turnoverYearMinus2).plus(p.turnoverYearMinus1), new D(0)).toFixed();
      const intro = `Det endelige lukkeregnskab for ${input.tilbudName} er behandlet i Socialdirektørforum, og resultatet efterreguleres efter ${input.ruleVersion}, bilag 5.`;
      const timing = `Rammeaftalen fastsætter ikke, hvornår efterreguleringen afregnes; ${input.operator.name} sender faktura eller kreditnota.`;
      const payOrReceive = (who: string, amount: string, what: string) => {
        const a = new D(amount);
        if (a.isZero()) return `${who} skal hverken betale eller modtage noget.`;
        return a.gt(0)
          ? `${who} skal betale ${danishKroner(amount)} til ${input.operator.name}. Beløbet er ${what} af underskuddet ud over driftsherrens selvrisiko.`
          : `${who} skal modtage ${danishKroner(amount)} fra ${input.operator.name}. Beløbet er ${what} af overskuddet ud over den del, driftsherren beholder.`;
      };
      const signLabel = (amount: string) => (new D(amount).isZero() ? '0 kr.' : `${danishKroner(amount)} (${new D(amount).gt(0) ? 'at betale' : 'at modtage'})`);
      const notified: string[] = [];

      for (const p of payers.filter((x) => !x.isOperator)) {
        const name = s.named.find((x) => x.id === p.id)!.name;
        const amount = s.shares.find((x) => x.id === p.id)!.amount;
        const own = new D(p.turnoverYearMinus2).plus(p.turnoverYearMinus1).toFixed();
        await sendClosureMail({
          caseId: input.caseId,
          step: `settlement:${p.id}`,
          partyIds: [p.id],
          subject: `Efterregulering ved lukning af ${input.tilbudName}: kommunens andel`,
          content: {
            heading: `Efterregulering ved lukning af ${input.tilbudName}`,
            paragraphs: [
              intro,
              payOrReceive(name, amount, 'kommunens andel'),
              `Andelen er fordelt efter kommunens andel af tilbuddets takstbaserede omsætning i ${y2} og ${y1} (de to regnskabsår før beslutningsåret): kommunens omsætning var ${danishKroner(p.turnoverYearMinus2)} og ${danishKroner(p.turnoverYearMinus1)}, i alt ${percent(own, pooledTotal)} af omsætningen.`,
              timing,
            ],
            facts: [
              { label: 'Sagsnummer', value: input.caseId },
              { label: 'Beløb', value: signLabel(amount) },
            ],
          },
        });
        notified.push(p.id);
      }

      const ownPayer = payers.find((x) => x.isOperator);
      const ownShare = ownPayer ? s.shares.find((x) => x.id === ownPayer.id)!.amount : '0';
      const total = new D(s.operatorTotal);
      const parts = [
        `selvrisiko ${danishKroner(s.ownRisk)}`,
        ...(new D(s.toOtherUnits).isZero() ? [] : [`videreført til centrets øvrige tilbud ${danishKroner(s.toOtherUnits)}`]),
        ...(ownPayer ? [`andel for egne borgere ${danishKroner(ownShare)}`] : []),
      ];
      const operatorParagraphs =
        input.operator.type === 'municipal'
          ? [
              intro,
              total.isZero()
                ? `${input.operator.name} bærer som driftsherre intet af resultatet.`
                : `${input.operator.name} ${total.gt(0) ? 'bærer som driftsherre i alt' : 'beholder som driftsherre i alt'} ${danishKroner(s.operatorTotal)} af ${total.gt(0) ? 'underskuddet' : 'overskuddet'}: ${parts.join(', ')}.`,
              timing,
            ]
          : [
              intro,
              ...(new D(s.ownRisk).isZero() ? [] : [`Selvrisikoen på ${danishKroner(s.ownRisk)} dækkes inden for den økonomiske enhed (videreføres i driften år +1).`]),
              `${new D(s.ownRisk).isZero() ? 'Resultatet' : 'Resten'} fordeles på regionens øvrige tilbud (positivt = dækker underskud, negativt = modtager overskud): ${s.named.map((x) => `${x.name} ${signedDanish(x.amount)} kr.`).join('; ')}`,
            ];
      await sendClosureMail({
        caseId: input.caseId,
        step: 'settlement:operator',
        partyIds: [input.operator.partyId],
        subject: `Efterregulering ved lukning af ${input.tilbudName}: driftsherrens andel`,
        content: {
          heading: `Efterregulering ved lukning af ${input.tilbudName}`,
          paragraphs: operatorParagraphs,
          facts: [
            { label: 'Sagsnummer', value: input.caseId },
            {
              label: 'Samlet for driftsherre',
              value: total.isZero() ? '0 kr.' : `${danishKroner(s.operatorTotal)} (${total.gt(0) ? 'underskud, som driftsherren bærer' : 'overskud, som driftsherren beholder'})`,
            },
          ],
        },
      });
      notified.push(input.operator.partyId);
      return { notified };
    },
  };
}
