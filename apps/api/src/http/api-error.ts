import { HttpException } from '@nestjs/common';
import { errorEnvelope } from './error-codes';

/** An HTTP error raised by the HTTP layer itself (auth, headers), already in envelope form. */
export class ApiError extends HttpException {
  constructor(status: number, message: string, details: Record<string, unknown> = {}) {
    super(errorEnvelope(status, message, details), status);
  }
}
