import { Route, Routes } from 'react-router-dom';
import { NotFoundPage } from '../../Workspace';
import { AddUserPage } from './AddUser';
import { ImportUsersPage } from './ImportUsers';
import { RoleEditorPage, RolesListPage } from './Roles';
import { UserDetailPage } from './UserDetail';
import { UsersListPage } from './UsersList';

/** Account settings → User management (lazy-loaded): the list, Add user, one user, and the roles. */
export default function UserManagement() {
  return (
    <Routes>
      <Route index element={<UsersListPage />} />
      <Route path="new" element={<AddUserPage />} />
      <Route path="import" element={<ImportUsersPage />} />
      <Route path="roles" element={<RolesListPage />} />
      <Route path="roles/new" element={<RoleEditorPage />} />
      <Route path="roles/:roleId" element={<RoleEditorPage />} />
      <Route path=":id" element={<UserDetailPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
