import { Module } from '@nestjs/common';
import { CableHub } from './application/cable-hub';

/** Real time (API.md section 10): the process's log tail and its WebSocket subscribers. */
@Module({ providers: [CableHub], exports: [CableHub] })
export class RealtimeModule {}
