/** Steps 5-6 of §5.3: the written closure notices and the provisional account's deadline. */
import { patched } from '@temporalio/workflow';
import { acts } from '../../blocks/proxies';
import { copenhagenToday } from '../../blocks/time';
import type { ClosureCaseFile } from '../caseFile';
import type { ClosureDetails } from '../contract';
import { closureNotice, fmt, provisionalAccountDeadline } from '../messages';

/** Steps 5-6: the written notice to each handlekommune, "løbende måned plus to måneder" (002:2155-2160, 2173),
 * and the provisional account's deadline, "hurtigst muligt og senest 3 måneder efter beslutningen"
 * (002:1942-1943), planned while the notices go out. */
export async function closureNotices(x: ClosureCaseFile, decided: NonNullable<ClosureDetails['decision']>): Promise<void> {
  const { c, details, op } = x;
  const dates = await acts.planClosureDates({ decisionDate: decided.decisionDate, closingDate: decided.closingDate, noticeDate: copenhagenToday(), reading: x.input.noticeReading ?? 'runningMonthPlus' });
  details.notice = dates.notice;
  // Versioned (README, "Changing a running procedure"): from 3 December 2026 payment ends at the closing date
  // and a closing date before the notice's end is a warning; histories recorded before replay without it.
  if (patched('closure-payment-ends-at-closing-date') && dates.notice.closingBeforeNoticeEnd) {
    const w =
      `Lukkedatoen ${fmt(decided.closingDate)} ligger før opsigelsesvarslets udløb ${fmt(dates.notice.minimumEnd)} ` +
      `(varslet er ${dates.notice.readingText}, regnet fra opsigelsen ${fmt(dates.notice.noticeDate)}; Rammeaftalens bilag 6). ` +
      (x.ordinary
        ? `Handlekommunerne betaler kun til og med lukkedatoen; driftsherren har ikke givet det varsel, bilaget kræver.`
        : `Lukningen sker efter myndighedens afgørelse: handlekommunerne betaler til og med lukkedatoen, og et eventuelt underskud påhviler alene driftsherren.`);
    c.state.warnings.push(w);
    await c.publish({}, { description: `ADVARSEL: ${w}`, actor: 'system' });
  }
  const acting = details.basis.actingMunicipalities.filter((a) => a.partyId !== op.partyId);
  const [sent, d] = await Promise.all([
    acting.length
      ? acts.notifyParties({ caseId: c.state.caseId, procedure: 'closure', step: 'closureNotice', partyIds: acting.map((a) => a.partyId), ...closureNotice(x.k, decided, dates.notice) })
      : Promise.resolve(undefined),
    x.deadlines.add('provisionalAccount', 'Foreløbigt lukkeregnskab', dates.provisionalSpec, x.input.ladder),
  ]);
  if (sent) {
    await c.publish(
      { stage: 'Lukning varslet', parties: x.partyList('lukning varslet') },
      {
        description:
          `Skriftlig opsigelse sendt til handlekommunerne ${acting.map((a) => a.name).join(', ')} (${sent.recipients} e-mails). ${dates.notice.explanation} ` +
          (dates.notice.other.minimumEnd
            ? `Ved den anden læsning af "løbende måned plus to måneder" (${dates.notice.other.readingText}) ville varslet tidligst udløbe ${fmt(dates.notice.other.minimumEnd)}.`
            : `Ved den anden læsning af "løbende måned plus to måneder" (${dates.notice.other.readingText}) ville betalingen løbe til og med ${fmt(dates.notice.other.paidThrough)} (A-22).`),
        actor: 'system',
      },
    );
  }
  await c.attempt('E-mailen til driftsherren om det foreløbige lukkeregnskab kunne ikke sendes', () =>
    acts.notifyParties({
      caseId: c.state.caseId,
      procedure: 'closure',
      step: 'provisionalAccount',
      partyIds: [op.partyId],
      ...provisionalAccountDeadline(x.k, decided.decisionDate, d.plan.deadline.dueDate),
      deadline: { ...d.plan.deadline, revision: d.revision },
    }),
  );
}
