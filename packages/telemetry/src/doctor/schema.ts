import { type Static, Type } from 'typebox';

/**
 * The doctor's report as JSON (the admin route's answer and the CLI's `doctor --json`), declared
 * once: the route serializes with it and the CLI's schema test checks its output against it.
 */
export const CheckStatusSchema = Type.Union([
  Type.Literal('ok'),
  Type.Literal('warn'),
  Type.Literal('fail'),
  Type.Literal('skip'),
]);

export const DoctorCheckSchema = Type.Object(
  {
    id: Type.Union(
      [
        'endpoint',
        'proxy',
        'dns',
        'tcp',
        'tls',
        'vendor',
        'clock',
        'admin-email',
        'sender',
        'pending',
        'last-upload',
        'license',
      ].map((id) => Type.Literal(id)),
    ),
    status: CheckStatusSchema,
    summary: Type.String({ minLength: 1 }),
    fix: Type.Optional(Type.String({ minLength: 1 })),
    docs: Type.Optional(Type.String({ pattern: '^[a-z0-9-]+$' })),
  },
  { additionalProperties: false },
);

export const DoctorReportSchema = Type.Object(
  {
    where: Type.Union([Type.Literal('server'), Type.Literal('here')]),
    at: Type.String({ format: 'date-time' }),
    endpoint: Type.String(),
    verdict: Type.Union([Type.Literal('healthy'), Type.Literal('warning')]),
    checks: Type.Array(DoctorCheckSchema),
  },
  { additionalProperties: false },
);

export type DoctorReportJson = Static<typeof DoctorReportSchema>;
