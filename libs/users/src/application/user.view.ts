import type { UserState } from '../domain/user.decider';
import type { UserDocument } from '../projections/users.projection';

/** The API's user object (API.md section 6). */
export const toUserView = (doc: Pick<UserDocument, 'id' | 'email' | 'name' | 'role' | 'created_at'>) => ({
  id: doc.id,
  email: doc.email,
  name: doc.name,
  role: doc.role,
  created_at: doc.created_at,
});

export type UserView = ReturnType<typeof toUserView>;

/** The user object from the write side (the state its events lead to), as the users projection builds it. */
export function userViewOf(state: UserState): UserView {
  if (!state.id || !state.createdAt) throw new Error('A user view needs a created user');
  return toUserView({ id: state.id, email: state.email, name: state.name, role: state.role, created_at: state.createdAt });
}
