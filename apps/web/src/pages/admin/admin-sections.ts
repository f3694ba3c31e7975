/** The admin area's navigation; a new admin page adds its entry here and its route in app/routes.tsx. */
export const ADMIN_SECTIONS: readonly { to: string; label: string; end?: boolean }[] = [
  { to: '/admin', label: 'Overview', end: true },
  { to: '/admin/telemetry', label: 'Telemetry' },
];
