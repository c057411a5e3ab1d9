// Log review: the rules (rules.ts), their words (words.ts) and the service that runs them over
// the log and keeps what they find (service.ts).
export { DEFAULT_REVIEW_SETTINGS, evaluateDay, RULES, type RuleContext } from './rules';
export { ReviewService } from './service';
export { flagText } from './words';
