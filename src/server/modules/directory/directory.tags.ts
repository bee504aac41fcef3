import { INDUSTRIES, PRODUCTS, SERVICES } from '../../../shared/taxonomy';

/**
 * The words a managed tag is searchable by, in English and French: a visitor typing
 * "hébergement" or "hosting" finds the partners tagged `hosting`, whatever language their
 * description is in. Written into `directory_entries.tag_words` (weight B of the search
 * vector, and the trigram key for typos). A tag without an entry here (a catalog product id)
 * is searchable by its id, hyphens as spaces.
 */
export const TAG_WORDS: Record<string, string> = {
  // industries
  agriculture: 'agriculture farming agriculture agroalimentaire',
  automotive: 'automotive automobile',
  banking: 'banking bank banque finance',
  construction: 'construction building bâtiment BTP',
  education: 'education school éducation enseignement école',
  energy: 'energy utilities énergie',
  government: 'government public sector secteur public administration',
  healthcare: 'healthcare health santé hôpital',
  hospitality: 'hospitality hotels restaurants hôtellerie restauration',
  insurance: 'insurance assurance',
  legal: 'legal law firm juridique avocats',
  manufacturing: 'manufacturing industry industrie production',
  media: 'media entertainment médias divertissement',
  nonprofit: 'nonprofit charity associations ONG',
  'professional-services': 'professional services services professionnels',
  'real-estate': 'real estate property immobilier',
  retail: 'retail shops commerce distribution',
  telecommunications: 'telecommunications telecom télécommunications télécoms',
  transportation: 'transportation logistics transport logistique',
  // services
  consulting: 'consulting advice conseil',
  deployment: 'deployment rollout déploiement',
  'managed-services': 'managed services services managés infogérance',
  migration: 'migration',
  'custom-development': 'custom development software développement sur mesure',
  integration: 'integration intégration',
  hosting: 'hosting hébergement',
  security: 'security sécurité cybersécurité',
  support: 'support assistance',
  training: 'training formation',
  licensing: 'licensing licences',
  // products
  'office-suite': 'office suite bureautique',
  'email-and-calendar': 'email calendar messagerie agenda',
  collaboration: 'collaboration teamwork travail collaboratif',
  crm: 'CRM customer relationship relation client',
  erp: 'ERP resource planning gestion intégrée',
  'cloud-infrastructure': 'cloud infrastructure',
  'data-and-analytics': 'data analytics données analyse',
  'security-suite': 'security suite sécurité',
  'endpoint-management': 'endpoint device management gestion des postes',
  telephony: 'telephony phone calling téléphonie',
};

// Every managed id has its words (a forgotten one would only be searchable by its id).
for (const id of [...INDUSTRIES, ...SERVICES, ...PRODUCTS]) if (!TAG_WORDS[id]) throw new Error(`directory: no search words for tag ${id}`);
