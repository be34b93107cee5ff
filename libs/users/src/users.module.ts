import { Module } from '@nestjs/common';
import { CreateUserHandler } from './application/create-user/create-user.handler';
import { DeleteUserHandler } from './application/delete-user/delete-user.handler';
import { GetUserHandler } from './application/get-user/get-user.handler';
import { ListUsersHandler } from './application/list-users/list-users.handler';
import { UpdateUserHandler } from './application/update-user/update-user.handler';

/** The users (agents) context: its use cases. */
@Module({ providers: [CreateUserHandler, UpdateUserHandler, DeleteUserHandler, GetUserHandler, ListUsersHandler] })
export class UsersModule {}
