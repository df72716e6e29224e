/** The steps the driftsherre's answers and the council's decision are recorded by: each handler records its fact
 * (the justifications, the report, the political decision, a temporary staffing); the flow acts on them. */
import { justificationsOwedAtStart } from '../../domain/capacityChange';
import { acts } from '../blocks/proxies';
import { copenhagenToday } from '../blocks/time';
import { recordPoliticalDecisionStep, recordTemporaryStaffingStep, reviseJustificationsStep, submitReportStep, type TemporaryStaffingEntry } from './contract';
import { danishDate as date, signed } from './messages';
import { partyStates, reportDue, tilbudRef, warn, type Capacity } from './caseFile';
import { justificationProblem } from './phases/justifications';

export function registerSteps(k: Capacity): void {
  const { c, deadlines, details, facts, input } = k;

  c.step(reviseJustificationsStep, {
    dueWhen: () => facts.justificationsAsked > facts.justificationsGiven,
    check: (r) => {
      const problem = justificationProblem(r.justifications, justificationsOwedAtStart(details.classification!));
      if (problem) return problem;
      if (details.justificationRound > 0 && r.justifications.every((t, i) => t === details.justifications[i]?.text)) {
        return 'Begrundelserne er uændrede; Socialdirektørforum har bedt om en ændring';
      }
      return undefined;
    },
    run: async (r) => {
      const required = justificationsOwedAtStart(details.classification!);
      details.justifications = required.map((requirement, i) => ({ requirement, text: r.justifications[i]! }));
      facts.justificationsGiven = facts.justificationsAsked;
      await c.publish(
        {},
        { description: `Begrundelserne er ${details.justificationRound > 0 ? 'revideret' : 'udfyldt'}: ${details.justifications.map((j, i) => `${i + 1}) ${j.text}`).join(' ')}`, actor: r.actor },
      );
      return details;
    },
  });

  c.step(submitReportStep, {
    dueWhen: () => !facts.finished && reportDue(k) && !details.report,
    notDueBecause: () => (!facts.finished && reportDue(k) && details.report ? 'Kapacitetsændringen er allerede indberettet' : undefined),
    run: async (r) => {
      const d = deadlines.get('report');
      const late = Date.now() > Date.parse(d.plan.deadline.dueAt);
      details.report = { text: r.text, submittedAt: new Date().toISOString(), submittedBy: r.actor, late };
      if (late) {
        details.reportLate = true;
        warn(k, `Kapacitetsændringen er indberettet for sent (fristen var ${date(d.plan.deadline.dueDate)})`);
      }
      await c.publish(
        { parties: partyStates(k) },
        {
          description: `Kapacitetsændringen er indberettet${late ? ` EFTER FRISTEN ${date(d.plan.deadline.dueDate)}` : ` inden fristen ${date(d.plan.deadline.dueDate)}`}: ${r.text}`,
          actor: r.actor,
        },
      );
      await deadlines.close('report', late ? 'expired' : 'met');
      return { late, dueDate: d.plan.deadline.dueDate };
    },
  });

  const decisionRoute = () => !!details.classification && details.classification.route !== 'free' && details.classification.route !== 'closure';
  c.step(recordPoliticalDecisionStep, {
    dueWhen: () => !facts.finished && facts.forumDone && !details.politicalDecision && decisionRoute(),
    notDueBecause: () => {
      if (facts.finished || !decisionRoute()) return undefined;
      if (!facts.forumDone) return `Den politiske beslutning registreres, når ${details.classification!.forumBody === 'FU' ? 'Forretningsudvalget er orienteret' : 'Socialdirektørforum har behandlet sagen'}`;
      return details.politicalDecision ? 'Den politiske beslutning er allerede registreret' : undefined;
    },
    check: (p) => (p.meetingDate > copenhagenToday() ? 'Mødedatoen kan ikke ligge i fremtiden' : undefined),
    run: async (p) => {
      details.politicalDecision = { approved: p.approved, meetingDate: p.meetingDate, decidedBy: p.actor, recordedAt: new Date().toISOString() };
      const notes: string[] = [];
      // A-5: the Rammeaftale does not order the steps; SDF after the council is legal but worth a flag.
      if (details.forum?.body === 'SDF' && details.forum.meetingDate && details.forum.meetingDate > p.meetingDate) {
        const w = `Den politiske behandling (${date(p.meetingDate)}) lå før Socialdirektørforums behandling (${date(details.forum.meetingDate)})`;
        warn(k, w);
        notes.push(`ADVARSEL: ${w}`);
      }
      if (p.approved && !details.report) notes.push('Bemærk: kapacitetsændringen er endnu ikke indberettet (skal ske senest ifm. den politiske behandling)');
      await c.publish(
        {},
        {
          description: `Politisk beslutning hos ${input.operator.name} (møde ${date(p.meetingDate)}): ændringen er ${p.approved ? 'vedtaget' : 'ikke vedtaget'}${notes.length ? `. ${notes.join('. ')}` : ''}`,
          actor: p.actor,
        },
      );
      return details;
    },
  });

  c.step(recordTemporaryStaffingStep, {
    dueWhen: () => input.kind === 'adjust' && !!details.classification && !facts.finished && !facts.registering && !details.registration,
    notDueBecause: () =>
      input.kind !== 'adjust'
        ? 'En midlertidig op- eller nednormering kan kun registreres ved en ændring af pladsantallet i et eksisterende tilbud'
        : !details.classification
          ? 'Sagen er ikke klassificeret endnu'
          : undefined,
    check: (t) => {
      const fixed = details.registerAtStart?.fixedPlaces ?? input.currentPlaces;
      if (fixed + t.places < 0) return `En nednormering kan højst være ${fixed} pladser (tilbuddets faste pladser)`;
      const current = details.temporaryStaffing.at(-1)?.places ?? details.registerAtStart?.temporaryPlaces ?? 0;
      if (t.places === current) return `Den midlertidige normering er allerede ${signed(current)} pladser`;
      if (t.from >= input.effectiveDate) return `En midlertidig normering skal begynde før den varige ændring træder i kraft (${date(input.effectiveDate)})`;
      return undefined;
    },
    run: async (t) => {
      facts.temporaryInFlight += 1;
      // Reserved before the first await, so two staffings recorded at once get their own register entries.
      facts.temporarySeq += 1;
      const entryKey = `temporary:${facts.temporarySeq}`;
      const entry: TemporaryStaffingEntry = { places: t.places, from: t.from, reason: t.reason, recordedBy: t.actor, recordedAt: new Date().toISOString() };
      try {
        const r = await acts.registerTemporaryStaffing({ caseId: c.state.caseId, entryKey, tilbud: tilbudRef(k), places: t.places, from: t.from, reason: entry.reason, actor: t.actor });
        facts.registerId = r.tilbudId;
        details.temporaryStaffing.push(entry);
        const what = t.places === 0 ? 'Den midlertidige normering ophører' : `Midlertidig ${t.places > 0 ? 'opnormering' : 'nednormering'} med ${Math.abs(t.places)} pladser`;
        await c.publish(
          {},
          {
            description: `${what} fra ${date(t.from)} (${r.fixedPlaces} faste pladser, ${r.fixedPlaces + t.places} i drift; den varige ændring behandles fortsat). Begrundelse: ${entry.reason}`,
            actor: t.actor,
          },
        );
      } finally {
        facts.temporaryInFlight -= 1;
      }
      return entry;
    },
  });
}
