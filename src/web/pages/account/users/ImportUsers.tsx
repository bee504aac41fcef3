import {
  Button,
  Field,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useRef, useState, type FormEvent } from 'react';
import { FormattedMessage, FormattedNumber, useIntl } from 'react-intl';
import { api, ApiError } from '../../../api/client';
import { LinkButton } from '../../../components/AppLink';
import { LoadError } from '../../../components/FormError';
import { Page, useLayoutStyles } from '../../../components/layout';
import { usePartnerSession } from '../../../session/PartnerSession';
import { NoAccess } from '../../Workspace';
import { useRoles } from './shared';

const MAX_BYTES = 5 * 1024 * 1024;
const HEADER = 'firstName,lastName,email,roles';
const SAMPLE = `${HEADER}\r\nAda,Lovelace,ada.lovelace@example.com,helpdesk-agent\r\nAlan,Turing,alan.turing@example.com,billing-admin;report-viewer\r\n`;

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: '20px' },
  actions: { display: 'flex', alignItems: 'center', gap: '12px', flexWrap: 'wrap' },
  note: { margin: 0 },
  code: {
    fontFamily: tokens.fontFamilyMonospace,
    backgroundColor: tokens.colorNeutralBackground3,
    borderRadius: tokens.borderRadiusMedium,
    padding: '8px 12px',
    margin: 0,
    overflowX: 'auto',
  },
  list: { margin: 0, paddingInlineStart: '20px', display: 'flex', flexDirection: 'column', gap: '4px' },
  roles: { columnWidth: '260px', margin: 0, paddingInlineStart: '20px' },
  roleId: { fontFamily: tokens.fontFamilyMonospace },
  picker: { display: 'flex', alignItems: 'center', gap: '12px', flexWrap: 'wrap' },
  fileName: { color: tokens.colorNeutralForeground2, overflowWrap: 'anywhere' },
  hidden: { display: 'none' },
  tableWrap: { overflowX: 'auto', maxHeight: '480px', overflowY: 'auto' },
  line: { width: '90px' },
  field: { width: '160px' },
});

/** Account settings → Users → Import: a CSV file of users, created all at once (or not at all), each invited by email. */
export function ImportUsersPage() {
  const s = useStyles();
  const l = useLayoutStyles();
  const intl = useIntl();
  const { can } = usePartnerSession();
  const { roles, error: rolesError } = useRoles();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [imported, setImported] = useState<number | null>(null);

  if (!can('users.manage')) return <NoAccess />;

  const columnLabel = (field: string | undefined) =>
    field && ['firstName', 'lastName', 'email', 'roles'].includes(field) ? intl.formatMessage({ id: `users.import.column.${field}` }) : (field ?? '');

  function choose(f: File | null) {
    setFile(f);
    setError(null);
    setImported(null);
  }

  function downloadSample() {
    const url = URL.createObjectURL(new Blob([SAMPLE], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'users-template.csv';
    document.body.appendChild(a);
    a.click();
    a.remove();
    URL.revokeObjectURL(url);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    setImported(null);
    try {
      if (file.size > MAX_BYTES) throw new ApiError(413, 'PAYLOAD_TOO_LARGE', intl.formatMessage({ id: 'users.import.tooBig' }));
      const res = await api<{ imported: number }>('/v1/users/import', { method: 'POST', rawBody: { contentType: 'text/csv', data: file } });
      setImported(res.imported);
      setFile(null);
      if (input.current) input.current.value = '';
    } catch (err) {
      if (err instanceof ApiError && !err.isAuthFailure) setError(err);
    }
    setBusy(false);
  }

  const lineErrors = error?.details.filter((d) => d.line !== undefined || d.field !== undefined) ?? [];

  return (
    <Page title={<FormattedMessage id="users.import.title" />} subtitle={<FormattedMessage id="users.import.lead" />}>
      <section className={l.card} aria-labelledby="import-format">
        <h2 id="import-format" className={l.sectionTitle}>
          <FormattedMessage id="users.import.formatTitle" />
        </h2>
        <p className={s.note}>
          <FormattedMessage id="users.import.format" />
        </p>
        <pre className={s.code} data-testid="import-header">
          {HEADER}
        </pre>
        <ul className={s.list}>
          <li>
            <FormattedMessage id="users.import.rule.roles" />
          </li>
          <li>
            <FormattedMessage id="users.import.rule.invite" />
          </li>
          <li>
            <FormattedMessage id="users.import.rule.all" />
          </li>
          <li>
            <FormattedMessage id="users.import.rule.limit" values={{ rows: 10000, mb: 5 }} />
          </li>
        </ul>
        <div className={s.actions}>
          <Button onClick={downloadSample} data-testid="import-sample">
            <FormattedMessage id="users.import.sample" />
          </Button>
        </div>
        <details>
          <summary>
            <FormattedMessage id="users.import.roleIds" />
          </summary>
          {rolesError && <LoadError error={rolesError} />}
          {roles && (
            <ul className={s.roles} data-testid="import-role-ids">
              {roles
                .filter((r) => r.assignable)
                .map((r) => (
                  <li key={r.id}>
                    <FormattedMessage id="users.import.roleId" values={{ id: r.id, name: r.name, code: (c) => <code className={s.roleId}>{c}</code> }} />
                  </li>
                ))}
            </ul>
          )}
        </details>
      </section>

      <form className={s.form} onSubmit={submit} noValidate>
        <section className={l.card} aria-labelledby="import-file">
          <h2 id="import-file" className={l.sectionTitle}>
            <FormattedMessage id="users.import.fileTitle" />
          </h2>
          <Field label={intl.formatMessage({ id: 'users.import.file' })}>
            <div className={s.picker}>
              <input
                ref={input}
                id="import-file-input"
                className={s.hidden}
                type="file"
                accept=".csv,text/csv"
                onChange={(e) => choose(e.target.files?.[0] ?? null)}
                data-testid="import-file"
              />
              <Button onClick={() => input.current?.click()} data-testid="import-choose">
                <FormattedMessage id="users.import.choose" />
              </Button>
              <span className={s.fileName} data-testid="import-file-name">
                {file ? (
                  <FormattedMessage id="users.import.chosen" values={{ name: file.name, kb: <FormattedNumber value={Math.max(1, Math.round(file.size / 1024))} /> }} />
                ) : (
                  <FormattedMessage id="users.import.none" />
                )}
              </span>
            </div>
          </Field>
          {imported !== null && (
            <MessageBar intent="success" layout="multiline" data-testid="import-success">
              <MessageBarBody>
                <MessageBarTitle>
                  <FormattedMessage id="users.import.successTitle" values={{ count: imported }} />
                </MessageBarTitle>
                <FormattedMessage id="users.import.success" />
              </MessageBarBody>
            </MessageBar>
          )}
          {error && (
            <MessageBar intent="error" layout="multiline" data-testid="import-error">
              <MessageBarBody>{error.message || <FormattedMessage id="users.import.failed" />}</MessageBarBody>
            </MessageBar>
          )}
          {lineErrors.length > 0 && (
            <div className={s.tableWrap}>
              <Table size="small" data-testid="import-problems" aria-label={intl.formatMessage({ id: 'users.import.problems' })}>
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell className={s.line}>
                      <FormattedMessage id="users.import.col.line" />
                    </TableHeaderCell>
                    <TableHeaderCell className={s.field}>
                      <FormattedMessage id="users.import.col.column" />
                    </TableHeaderCell>
                    <TableHeaderCell>
                      <FormattedMessage id="users.import.col.problem" />
                    </TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {lineErrors.map((d, i) => (
                    <TableRow key={i} data-testid="import-problem">
                      <TableCell>{d.line ?? ''}</TableCell>
                      <TableCell>{columnLabel(d.field)}</TableCell>
                      <TableCell>{d.message}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
          )}
        </section>
        <div className={s.actions}>
          <Button type="submit" appearance="primary" disabled={busy || !file} data-testid="import-submit">
            <FormattedMessage id={busy ? 'users.import.importing' : 'users.import.submit'} />
          </Button>
          {busy && <Spinner size="tiny" />}
          <LinkButton to="/account/users" data-testid="import-back">
            <FormattedMessage id={imported !== null ? 'users.backToList' : 'common.cancel'} />
          </LinkButton>
        </div>
      </form>
    </Page>
  );
}
