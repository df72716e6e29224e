/**
 * The steps of a closure: each handler records its fact (the basis, the continuation cost, the decision, an
 * account and its revision, a material change); the phases act on them.
 */
import { calculateClosureSettlement } from '../../domain/closureSettlement';
import { yearOf, type PlainDate } from '../../domain/calendar/plainDate';
import { acts } from '../blocks/proxies';
import { documentsByReference } from '../blocks/documents';
import { copenhagenToday } from '../blocks/time';
import {
  ENGINE_RULE_VERSION,
  announceMaterialChangeStep,
  rammeaftaleInForce,
  recordClosureDecisionStep,
  recordContinuationCostStep,
  recordSettlementBasisStep,
  settlementInputFor,
  submitFinalAccountStep,
  submitProvisionalAccountStep,
  type AccountFigures,
  type AccountRecord,
  type SettlementBasisStepInput,
} from './contract';
import { fmt, materialChangeNotice } from './messages';
import type { Account, ClosureCaseFile } from './caseFile';
import { basisProblem, figuresProblem, mergedBasis, partiesOf } from './settlementBasis';

/** The names of the parties a basis step names: as given, else as the case knows them, else from the directory
 * (the case page's form gives party ids only). */
async function partyNames(x: ClosureCaseFile, u: SettlementBasisStepInput): Promise<(p: { partyId: string; name?: string | undefined }) => string> {
  const known = new Map<string, string>([...x.details.basis.payers, ...x.details.basis.actingMunicipalities, x.op].map((p) => [p.partyId, p.name]));
  const missing = [...new Set(partiesOf(u).filter((p) => !p.name && !known.has(p.partyId)).map((p) => p.partyId))];
  if (missing.length) {
    const found = await x.c.orElse('Kommunernes navne kunne ikke slås op i adressebogen', [], () => acts.resolveRecipients({ partyIds: missing, procedure: 'closure' }));
    for (const r of found) known.set(r.partyId, r.name);
  }
  return (p) => p.name ?? known.get(p.partyId) ?? p.partyId;
}

export function basisStep(x: ClosureCaseFile): void {
  const { c, facts } = x;
  c.step(recordSettlementBasisStep, {
    dueWhen: () => !x.notAClosure && facts.basisOpen && !facts.provisional.receiving && !facts.final.receiving,
    notDueBecause: () => x.notDueNow('Registrering af grundlaget for efterreguleringen (frem til det endelige lukkeregnskab)'),
    check: (u) => {
      if (!Object.entries(u).some(([k, v]) => k !== 'actor' && v !== undefined)) return 'Angiv mindst ét af felterne i grundlaget for efterreguleringen';
      const problem = basisProblem(x.data(mergedBasis(x.details.basis, u, (p) => p.name ?? p.partyId)));
      return problem ? `Grundlaget for efterreguleringen er ufuldstændigt eller inkonsistent: ${problem}` : undefined;
    },
    run: async (u) => {
      const nameOf = await partyNames(x, u);
      x.details.basis = mergedBasis(x.details.basis, u, nameOf);
      const b = x.details.basis;
      await c.publish(
        { parties: x.partyList() },
        {
          description:
            `Grundlag for efterreguleringen registreret: ${b.structure === 'standalone' ? 'selvstændigt tilbud' : 'del af en økonomisk enhed'}, omsætning i beslutningsåret ${b.turnoverDecisionYear} kr.` +
            (b.structure === 'economicUnit' ? `, centrets øvrige tilbud ${b.otherUnitsTurnoverDecisionYear} kr.` : '') +
            (b.payers.length ? `; betalingskommuner: ${b.payers.map((p) => `${p.name} (${p.turnoverYearMinus2} + ${p.turnoverYearMinus1} kr.)`).join(', ')}` : '') +
            (b.actingMunicipalities.length ? `; handlekommuner: ${b.actingMunicipalities.map((p) => p.name).join(', ')}` : '') +
            (b.otherRegionalTilbud?.length ? `; regionens øvrige tilbud: ${b.otherRegionalTilbud.map((t) => t.name).join(', ')}` : ''),
          actor: u.actor,
        },
      );
      return x.details;
    },
  });
}

export function decisionSteps(x: ClosureCaseFile): void {
  const { c, facts, details } = x;
  const deciding = () => facts.waitingFor === 'decision' && !details.decision;
  c.step(recordContinuationCostStep, {
    dueWhen: () => deciding() && facts.continuationRequired && !details.continuationCost,
    notDueBecause: () =>
      !deciding()
        ? x.notDueNow('Dokumentation af omkostningerne ved at videreføre tilbuddet')
        : !facts.continuationRequired
          ? 'Socialdirektørforum har ikke fundet pladserne vigtige for den samlede udbudsvifte, så omkostningerne ved at videreføre tilbuddet skal ikke dokumenteres'
          : 'Omkostningerne ved at videreføre tilbuddet er allerede dokumenteret',
    run: async (u) => {
      details.continuationCost = { text: u.text, amount: u.amount, recordedBy: u.actor, recordedAt: new Date().toISOString() };
      await c.publish(
        { stage: 'Afventer beslutning om lukning' },
        { description: `De økonomiske konsekvenser ved at videreføre tilbuddet er dokumenteret (002:1633-1636): ${details.continuationCost.text} Beløb: ${u.amount} kr.`, actor: u.actor },
      );
      return details;
    },
  });

  c.step(recordClosureDecisionStep, {
    dueWhen: () => deciding() && (!facts.continuationRequired || !!details.continuationCost),
    notDueBecause: () =>
      !deciding()
        ? x.notDueNow('Registrering af beslutningen om lukning')
        : 'Socialdirektørforum finder pladserne vigtige for den samlede udbudsvifte: de økonomiske konsekvenser ved at videreføre tilbuddet skal dokumenteres, før beslutningen om lukning registreres',
    check: (u) => {
      const hearingDate = details.hearing?.meetingDate;
      if (u.decisionDate > copenhagenToday()) return 'Beslutningsdatoen kan ikke ligge i fremtiden';
      if (hearingDate && u.decisionDate < hearingDate) return `Beslutningen kan ikke ligge før høringen i Socialdirektørforum (${hearingDate})`;
      if (u.closingDate < u.decisionDate) return 'Lukkedatoen kan ikke ligge før beslutningsdatoen';
      return undefined;
    },
    run: async (u) => {
      const decisionYear = yearOf(u.decisionDate as PlainDate);
      const ruleVersion = rammeaftaleInForce(decisionYear);
      details.decision = { decisionDate: u.decisionDate, closingDate: u.closingDate, decisionYear, ruleVersion, turnoverYears: [decisionYear - 2, decisionYear - 1], decidedBy: u.actor };
      if (ruleVersion !== ENGINE_RULE_VERSION) {
        c.state.warnings.push(
          `Beslutningsåret ${decisionYear} hører under ${ruleVersion}, men sagsmotorens beregning følger ${ENGINE_RULE_VERSION}: kontrollér, at reglerne for lukning og efterregulering er uændrede.`,
        );
      }
      await c.publish(
        { stage: 'Lukning besluttet' },
        {
          description:
            `${x.ordinary ? 'Lukningen er besluttet' : 'Myndighedens afgørelse om lukning er registreret'} ${fmt(u.decisionDate)} med lukning pr. ${fmt(u.closingDate)}. ` +
            `Beslutningsåret ${decisionYear} fastlægger reglerne: ${ruleVersion} (002:1661-1662)` +
            (x.ordinary
              ? `; selvrisikoen regnes af den takstbaserede omsætning i ${decisionYear}, og fordelingsnøglen er betalingskommunernes omsætning i ${decisionYear - 2} og ${decisionYear - 1} (002:1769-1771).`
              : '; der sker ingen efterregulering, og et eventuelt underskud påhviler alene driftsherren (002:1696-1697).'),
          actor: u.actor,
        },
      );
      return details;
    },
  });
}

/** Renders an account and what its figures give. */
async function accountRecord(x: ClosureCaseFile, u: AccountFigures & { actor: string; auditorStatement?: string | undefined }, kind: 'provisional' | 'final', revision: number) {
  const settlementInput = settlementInputFor(x.data(), u);
  const account = { ...x.documentContext(settlementInput), kind, revision, ...(u.auditorStatement ? { auditorStatement: u.auditorStatement } : {}) };
  const rendered = documentsByReference() ? await acts.keepClosureAccount(account) : await acts.renderClosureAccount(account);
  const record: AccountRecord = {
    income: u.income,
    costs: u.costs,
    carriedForward: u.carriedForward,
    revision,
    submittedBy: u.actor,
    submittedAt: new Date().toISOString(),
    ...(u.auditorStatement ? { auditorStatement: u.auditorStatement } : {}),
    toDistribute: rendered.expected.toDistribute,
    shares: rendered.expected.shares,
  };
  return { record, document: rendered.document };
}

/** Records an account while `receiving` holds the basis and the account's own step closed. */
async function receiving<T>(account: Account, run: () => Promise<T>): Promise<T> {
  account.receiving = true;
  try {
    return await run();
  } finally {
    account.receiving = false;
  }
}

export function accountSteps(x: ClosureCaseFile): void {
  const { c, facts, details } = x;
  c.step(submitProvisionalAccountStep, {
    dueWhen: () => facts.waitingFor === 'provisionalAccount' && !facts.provisional.receiving,
    notDueBecause: () => x.notDueNow('Indsendelse af det foreløbige lukkeregnskab'),
    check: (u) => figuresProblem(x.data(), u),
    run: (u) =>
      receiving(facts.provisional, async () => {
        const { record, document } = await accountRecord(x, u, 'provisional', facts.provisional.revision + 1);
        // Only the first submission answers the deadline; a revision FU asked for is not late.
        record.late = record.revision === 1 && Date.now() > Date.parse(x.deadlines.get('provisionalAccount').plan.deadline.dueAt);
        details.provisionalAccount = record;
        facts.provisional.document = document;
        await c.publish(
          {},
          {
            description:
              `Foreløbigt lukkeregnskab${record.revision > 1 ? ` (version ${record.revision})` : ''} modtaget fra driftsherren${record.late ? ' efter fristen' : ''}: ` +
              `indtægter ${u.income} kr., omkostninger ${u.costs} kr., overført ${u.carriedForward} kr.; forventet til fordeling ${record.toDistribute} kr.`,
            actor: u.actor,
            documents: [document],
          },
        );
        facts.provisional.revision = record.revision;
        return { accepted: true as const, late: record.late };
      }),
  });

  c.step(announceMaterialChangeStep, {
    dueWhen: () => facts.waitingFor === 'finalAccount',
    notDueBecause: () => x.notDueNow('Meddelelse om væsentlige ændringer (frem til det endelige lukkeregnskab foreligger)'),
    run: async (u) => {
      const n = details.materialChanges.length + 1;
      details.materialChanges.push({ text: u.text, actor: u.actor, at: new Date().toISOString() });
      const sent = await acts.sendClosureMail({
        caseId: c.state.caseId,
        step: `materialChange:${n}`,
        partyIds: x.affected().map((a) => a.partyId),
        addresses: { greeting: 'Til Forretningsudvalget', emails: x.input.fuRecipients },
        ...materialChangeNotice(x.k, u.text),
      });
      await c.publish(
        {},
        { description: `Væsentlig ændring af det foreløbige lukkeregnskab meddelt Forretningsudvalget og de berørte kommuner (${sent.recipients} e-mails): ${u.text}`, actor: u.actor },
      );
      return { recipients: sent.recipients };
    },
  });

  c.step(submitFinalAccountStep, {
    dueWhen: () => facts.waitingFor === 'finalAccount' && !facts.final.receiving,
    notDueBecause: () => x.notDueNow('Indsendelse af det endelige lukkeregnskab'),
    check: (u) => {
      const problem = figuresProblem(x.data(), u);
      if (problem) return problem;
      // "skal revisionspåtegnes, såfremt der skal ske en efterregulering" (002:1957); A-16: a surplus too.
      const settled = calculateClosureSettlement(settlementInputFor(x.data(), u)).settled;
      if (x.ordinary && settled !== '0' && (u.auditorStatement ?? '').length < 10) {
        return 'Det endelige lukkeregnskab skal være revisionspåtegnet, fordi der skal ske en efterregulering: angiv revisors påtegning (mindst 10 tegn)';
      }
      return undefined;
    },
    run: (u) =>
      receiving(facts.final, async () => {
        const { record, document } = await accountRecord(x, u, 'final', facts.final.revision + 1);
        details.finalAccount = record;
        facts.final.document = document;
        await c.publish(
          {},
          {
            description:
              `Endeligt lukkeregnskab${record.revision > 1 ? ` (version ${record.revision})` : ''} modtaget: indtægter ${u.income} kr., omkostninger ${u.costs} kr., overført ${u.carriedForward} kr.; ` +
              `til fordeling ${record.toDistribute} kr.${record.auditorStatement ? `. Revisionspåtegning: ${record.auditorStatement}` : ''}`,
            actor: u.actor,
            documents: [document],
          },
        );
        facts.final.revision = record.revision;
        return { accepted: true as const };
      }),
  });
}
