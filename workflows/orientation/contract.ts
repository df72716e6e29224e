/** The orientation procedure's contract (orientering af kommunerne): its start input. */
export interface OrientationInput {
  title: string;
  message: string;
  parties: { partyId: string; name: string }[];
  /** The authenticated user who started the case, as the API saw it. */
  startedBy: string;
  caseUrl: string;
}
