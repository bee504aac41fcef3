import {
  Avatar,
  Button,
  Menu,
  MenuDivider,
  MenuGroup,
  MenuGroupHeader,
  MenuItem,
  MenuItemRadio,
  MenuList,
  MenuPopover,
  MenuTrigger,
  makeStyles,
  tokens,
  type MenuProps,
} from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import type { Locale } from '../api/types';
import { LOCALES } from '../i18n/LocaleProvider';

const useStyles = makeStyles({
  trigger: {
    minWidth: 'auto',
    padding: '2px',
    borderRadius: tokens.borderRadiusCircular,
    ':hover': { backgroundColor: 'rgba(255,255,255,0.14)' },
    ':hover:active': { backgroundColor: 'rgba(255,255,255,0.2)' },
  },
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: '12px',
    padding: '12px 12px 10px',
    minWidth: '260px',
    maxWidth: '320px',
  },
  who: { display: 'flex', flexDirection: 'column', minWidth: 0 },
  name: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase300 },
  line: {
    color: tokens.colorNeutralForeground3,
    fontSize: tokens.fontSizeBase200,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
});

export interface AccountMenuProps {
  name: string;
  email: string;
  /** Third line of the header: the company, or "Operator console". */
  organisation?: ReactNode;
  locale: Locale;
  onLocale: (l: Locale) => void;
  onSignOut: () => void;
  /** Items between the header and the language group (My profile, Account settings). */
  items?: ReactNode;
}

/** The account icon at the far right of the top bar, and its menu. */
export function AccountMenu({ name, email, organisation, locale, onLocale, onSignOut, items }: AccountMenuProps) {
  const s = useStyles();
  const onChecked: MenuProps['onCheckedValueChange'] = (_, d) => {
    const next = d.checkedItems[0];
    if (next === 'fr' || next === 'en') onLocale(next);
  };
  return (
    <Menu positioning={{ position: 'below', align: 'end' }} checkedValues={{ locale: [locale] }} onCheckedValueChange={onChecked}>
      <MenuTrigger disableButtonEnhancement>
        <Button appearance="transparent" className={s.trigger} aria-label={name} title={name} data-testid="account-menu">
          <Avatar name={name} size={32} color="colorful" aria-hidden="true" />
        </Button>
      </MenuTrigger>
      <MenuPopover>
        <div className={s.header}>
          <Avatar name={name} size={48} color="colorful" aria-hidden="true" />
          <div className={s.who}>
            <span className={s.name}>{name}</span>
            <span className={s.line}>{email}</span>
            {organisation && <span className={s.line}>{organisation}</span>}
          </div>
        </div>
        <MenuList>
          {items && (
            <>
              <MenuDivider />
              {items}
            </>
          )}
          <MenuDivider />
          <MenuGroup>
            <MenuGroupHeader>
              <FormattedMessage id="lang.label" />
            </MenuGroupHeader>
            {LOCALES.map((l) => (
              <MenuItemRadio key={l} name="locale" value={l} lang={l} data-testid={`menu-lang-${l}`}>
                <FormattedMessage id={`lang.${l}`} />
              </MenuItemRadio>
            ))}
          </MenuGroup>
          <MenuDivider />
          <MenuItem onClick={onSignOut} data-testid="menu-signout">
            <FormattedMessage id="menu.signOut" />
          </MenuItem>
        </MenuList>
      </MenuPopover>
    </Menu>
  );
}

export function useFullName(first: string, last: string): string {
  const intl = useIntl();
  return intl.formatMessage({ id: 'user.fullName' }, { firstName: first, lastName: last }).trim();
}
