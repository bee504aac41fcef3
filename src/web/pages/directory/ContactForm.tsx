// Skeleton: the "Contact this partner" form (written by the leads work).
export function ContactPartnerForm(_props: { partnerId: string; partnerName: string }) {
  return null;
}
