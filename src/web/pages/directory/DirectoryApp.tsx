import { makeStyles, tokens } from '@fluentui/react-components';
import { FormattedMessage } from 'react-intl';
import { Route, Routes } from 'react-router-dom';
import { Brand } from '../../components/Brand';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { TopBar } from '../../components/TopBar';
import { useLayoutStyles } from '../../components/layout';
import DirectorySearch from './DirectorySearch';
import PartnerPage from './PartnerPage';

const useStyles = makeStyles({
  main: { flexGrow: 1, paddingBlock: '24px', paddingInline: '16px', '@media (min-width: 640px)': { paddingInline: '24px' } },
  // On a phone the bar keeps the logo, the name and the language switch; the page's heading says "Find a partner".
  brand: { display: 'contents', '@media (max-width: 480px)': { '& > a > span:nth-of-type(n+2)': { display: 'none' } } },
  footer: { textAlign: 'center', padding: '16px', color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
});

/**
 * The public "Find a partner" directory, outside the signed-in shell (no sign-in):
 * /partners (search) and /partners/<id>/<slug> (a partner's page), in French or English.
 */
export default function DirectoryApp() {
  const l = useLayoutStyles();
  const s = useStyles();
  return (
    <div className={l.app}>
      <TopBar
        brand={
          <span className={s.brand}>
            <Brand to="/partners" subtitleId="directory.brand" />
          </span>
        }
        end={<LanguageSwitch />}
      />
      <main className={s.main}>
        <Routes>
          <Route index element={<DirectorySearch />} />
          <Route path=":id" element={<PartnerPage />} />
          <Route path=":id/:slug" element={<PartnerPage />} />
        </Routes>
      </main>
      <footer className={s.footer}>
        <FormattedMessage id="directory.footer" />
      </footer>
    </div>
  );
}
