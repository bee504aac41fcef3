import { Menu, MenuButton, MenuItem, MenuList, MenuPopover, MenuTrigger } from '@fluentui/react-components';
import { FormattedMessage } from 'react-intl';
import { useNavigate } from 'react-router-dom';
import { usePartnerSession } from '../../../session/PartnerSession';

/** GET /v1/users/export with the list's current filters. */
export function exportUrl(search: string, role: string): string {
  const q = new URLSearchParams();
  if (search) q.set('search', search);
  if (role) q.set('role', role);
  const qs = q.toString();
  return `/v1/users/export${qs ? `?${qs}` : ''}`;
}

/** Users list toolbar → Import / Export: import a CSV file (users.manage), export the filtered list. */
export function UsersBulkMenu({ search, role }: { search: string; role: string }) {
  const navigate = useNavigate();
  const { can } = usePartnerSession();
  function download() {
    // The session cookie authenticates the GET; the answer is an attachment, so the page stays.
    const a = document.createElement('a');
    a.href = exportUrl(search, role);
    a.download = '';
    document.body.appendChild(a);
    a.click();
    a.remove();
  }
  return (
    <Menu>
      <MenuTrigger disableButtonEnhancement>
        <MenuButton data-testid="users-bulk">
          <FormattedMessage id="users.bulk" />
        </MenuButton>
      </MenuTrigger>
      <MenuPopover>
        <MenuList>
          {can('users.manage') && (
            <MenuItem onClick={() => navigate('/account/users/import')} data-testid="users-bulk-import">
              <FormattedMessage id="users.bulk.import" />
            </MenuItem>
          )}
          <MenuItem onClick={download} data-testid="users-bulk-export">
            <FormattedMessage id={search || role ? 'users.bulk.exportFiltered' : 'users.bulk.export'} />
          </MenuItem>
        </MenuList>
      </MenuPopover>
    </Menu>
  );
}
