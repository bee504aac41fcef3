import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { lazy, Suspense } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { AppShell } from './components/AppShell';
import { Loading } from './components/layout';
import { PublicLayout } from './components/PublicLayout';
import { LocaleProvider } from './i18n/LocaleProvider';
import { EnrollPage } from './pages/Enroll';
import { HomePage } from './pages/Home';
import { SignInPage } from './pages/SignIn';
import { VerifyPage } from './pages/Verify';
import { NotFoundPage, WorkspacePage } from './pages/Workspace';
import { AuthFailureBridge } from './session/AuthFailureBridge';

// Loaded on demand, to keep the first download small.
const AccountSettings = lazy(() => import('./pages/account/AccountSettings'));
const ProfilePage = lazy(() => import('./pages/account/Profile'));
const OperatorApp = lazy(() => import('./operator/OperatorApp'));
const ChangePasswordPage = lazy(() => import('./pages/ChangePassword'));
const ForgotPasswordPage = lazy(() => import('./pages/ForgotPassword'));
const ResetPasswordPage = lazy(() => import('./pages/ResetPassword'));
const AcceptInvitationPage = lazy(() => import('./pages/AcceptInvitation'));
const MfaPage = lazy(() => import('./pages/Mfa'));
const DirectoryApp = lazy(() => import('./pages/directory/DirectoryApp'));
const ReferralsWorkspace = lazy(() => import('./pages/referrals/ReferralsWorkspace'));
const PricingWorkspace = lazy(() => import('./pages/pricing/PricingWorkspace'));
const CatalogPage = lazy(() => import('./pages/catalog/CatalogPage'));

const fullHeight = { minHeight: '100vh' };

export function App() {
  return (
    <LocaleProvider>
      <FluentProvider theme={webLightTheme} style={fullHeight}>
        <BrowserRouter>
          <AuthFailureBridge />
          <Suspense fallback={<Loading />}>
            <Routes>
              <Route element={<PublicLayout />}>
                <Route path="/signin" element={<SignInPage />} />
                <Route path="/enroll" element={<EnrollPage />} />
                <Route path="/enroll/verify" element={<VerifyPage />} />
                <Route path="/change-password" element={<ChangePasswordPage />} />
                <Route path="/forgot-password" element={<ForgotPasswordPage />} />
                <Route path="/reset-password" element={<ResetPasswordPage />} />
                <Route path="/invitation" element={<AcceptInvitationPage />} />
                <Route path="/mfa" element={<MfaPage />} />
              </Route>
              <Route path="/operator/*" element={<OperatorApp />} />
              {/* The public "Find a partner" directory: no sign-in. */}
              <Route path="/partners/*" element={<DirectoryApp />} />
              <Route element={<AppShell />}>
                <Route index element={<HomePage />} />
                <Route path="/customers" element={<WorkspacePage id="customers" />} />
                <Route path="/billing" element={<WorkspacePage id="billing" />} />
                <Route path="/catalog/*" element={<CatalogPage />} />
                <Route path="/pricing/*" element={<PricingWorkspace />} />
                <Route path="/referrals/*" element={<ReferralsWorkspace />} />
                <Route path="/incentives" element={<WorkspacePage id="incentives" />} />
                <Route path="/support" element={<WorkspacePage id="support" />} />
                <Route
                  path="/account/profile"
                  element={
                    <Suspense fallback={<Loading />}>
                      <ProfilePage />
                    </Suspense>
                  }
                />
                <Route
                  path="/account/*"
                  element={
                    <Suspense fallback={<Loading />}>
                      <AccountSettings />
                    </Suspense>
                  }
                />
                <Route path="*" element={<NotFoundPage />} />
              </Route>
            </Routes>
          </Suspense>
        </BrowserRouter>
      </FluentProvider>
    </LocaleProvider>
  );
}
