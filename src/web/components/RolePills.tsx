import { makeStyles, tokens } from '@fluentui/react-components';

const useStyles = makeStyles({
  roles: { display: 'flex', flexWrap: 'wrap', gap: '6px', margin: 0, padding: 0, listStyleType: 'none' },
  role: {
    padding: '2px 10px',
    borderRadius: tokens.borderRadiusCircular,
    backgroundColor: tokens.colorBrandBackground2,
    color: tokens.colorBrandForeground2,
    fontSize: tokens.fontSizeBase200,
    fontWeight: tokens.fontWeightSemibold,
  },
});

/** The user's roles (names already translated by the server). */
export function RolePills({ roles, testId }: { roles: { id: string; name: string }[]; testId?: string }) {
  const s = useStyles();
  return (
    <ul className={s.roles} data-testid={testId}>
      {roles.map((r) => (
        <li key={r.id} className={s.role}>
          {r.name}
        </li>
      ))}
    </ul>
  );
}
