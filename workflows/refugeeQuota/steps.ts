/** The steps of the refugee quota case: each handler records its fact (KKR's decision, the notification, the
 * agency's fixing, a changed landstal); the flow acts on them. */
import { acts } from '../blocks/proxies';
import { copenhagenToday } from '../blocks/time';
import { documentsByReference } from '../blocks/documents';
import { LANDSTAL_CLAUSE_LABELS, landstalChangedStep, recordFixedQuotasStep, recordKkrDecisionStep, sendNotificationStep } from './contract';
import { notificationEmail, quotaTable } from './messages';
import { quotaProblem, withQuotas, type QuotaCase } from './caseFile';
import { applyLandstalChange } from './phases/landstalChange';

export function registerSteps(q: QuotaCase): void {
  const { c, details, facts, input } = q;

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
      const outcome = await applyLandstalChange(q, l.newRegionQuota);
      facts.landstalChanges += 1;
      await c.publish({}, { description: `Landstallet er ændret fra ${old} til ${l.newLandstal} (regionskvote ${l.newRegionQuota}). ${outcome}`, actor: l.actor });
      return details;
    },
  });
}
