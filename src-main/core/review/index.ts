// Log review: the rules (rules.ts), their words (words.ts), the service that runs them over
// the log and keeps what they find (service.ts), and the keyed account hash (account-key.ts).
export {
  ACCOUNT_HASH_KEY_FILE,
  accountKeyer,
  openAccountKeyer,
  type AccountKeyer,
} from './account-key';
export { DEFAULT_REVIEW_SETTINGS, evaluateDay, RULES, type RuleContext } from './rules';
export { ReviewService } from './service';
export { flagText } from './words';
