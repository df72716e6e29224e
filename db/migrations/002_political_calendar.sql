-- The political calendar the secretariat keeps: meeting dates of SDF, FU, K22, KKR and others. Approval steps
-- are planned on these, and a case warns when the body it needs has no meeting left before its deadline.
CREATE TABLE political_meeting (
  body          text NOT NULL,
  meeting_date  date NOT NULL,
  note          text NOT NULL DEFAULT '',
  PRIMARY KEY (body, meeting_date)
);

-- The 2023 cycle as the seeds give it (other-procedures.md §1.4); the secretariat adds later years.
INSERT INTO political_meeting (body, meeting_date, note) VALUES
  ('KKR', '2023-04-21', 'KKR Syddanmark'),
  ('KKR', '2023-06-20', 'KKR Syddanmark'),
  ('KKR', '2023-09-04', 'KKR Syddanmark'),
  ('KKR', '2023-11-21', 'KKR Syddanmark'),
  ('K22', '2023-06-13', 'K22, juni 2023 (dato ikke i kilderne; antaget)'),
  ('K22', '2023-08-23', 'K22'),
  ('K22', '2023-11-10', 'K22'),
  ('SDF', '2023-05-16', 'Socialdirektørforum')
ON CONFLICT DO NOTHING;
