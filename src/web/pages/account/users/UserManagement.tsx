import { Route, Routes } from 'react-router-dom';
import { NotFoundPage } from '../../Workspace';
import { AddUserPage } from './AddUser';
import { UserDetailPage } from './UserDetail';
import { UsersListPage } from './UsersList';

/** Account settings → User management (lazy-loaded): the list, Add user, one user. */
export default function UserManagement() {
  return (
    <Routes>
      <Route index element={<UsersListPage />} />
      <Route path="new" element={<AddUserPage />} />
      <Route path=":id" element={<UserDetailPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
