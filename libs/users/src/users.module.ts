import { Module } from '@nestjs/common';
import { UsersService } from './application/users.service';
/** The users (agents) context: its use cases. */
@Module({ imports: [], providers: [UsersService], exports: [UsersService] })
export class UsersModule {}
