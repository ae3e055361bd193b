import type { ErrorCode, PanelErrorBody } from '../../shared/contract.js';

/**
 * An error the panel can show as it is: a code from the contract, a message for people,
 * and optionally the form fields it concerns. Anything else thrown by a handler is reported
 * as "internal" without its text.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  toBody(): PanelErrorBody {
    return this.fields ? { code: this.code, message: this.message, fields: this.fields } : { code: this.code, message: this.message };
  }
}
