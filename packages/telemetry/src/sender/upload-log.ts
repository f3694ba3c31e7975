import { type Logger, maskEmail } from '../log/logger.js';
import type { UploadCycleReport } from '../upload/upload-cycle.js';

/**
 * One line per upload cycle, for the operator. "Waiting for an admin email" is said once, not at
 * every 3-minute check; the email is masked.
 */
export class UploadLog {
  private waitingForEmailSaid = false;

  constructor(private readonly log: Logger) {}

  write(report: UploadCycleReport, email: string | undefined): void {
    if (report.outcome === 'no_admin_email') {
      if (!this.waitingForEmailSaid) {
        this.log.info(
          'telemetry upload waits for an admin email (OPENHANDS_ADMIN_EMAIL or a first user who accepts the Terms)',
        );
        this.waitingForEmailSaid = true;
      }
      return;
    }
    this.waitingForEmailSaid = false;
    const context = {
      admin: email ? maskEmail(email) : undefined,
      requests: report.requests,
      sent: report.sent.length,
      rejected: report.rejected.length,
      checkIn: report.checkIn,
    };
    if (report.failure) this.log.warn({ ...context, failure: report.failure }, `telemetry upload ${report.outcome}`);
    else this.log.info(context, `telemetry upload ${report.outcome}`);
  }
}
