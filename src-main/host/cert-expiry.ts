// The pinned certificate's end date, seen at each TLS handshake (bank host and wallet host), and
// the warning the console gives before it runs out: a pin keeps working only as long as the
// certificate it names, so the bank must send the next one before that day.
import type { PeerCertificate } from 'node:tls';

/** Warn this many days before the pinned certificate expires. */
export const CERT_WARNING_DAYS = 30;

/** What a handshake showed of the peer's certificate (never the key). */
export interface SeenCertificate {
  /** The certificate's valid_to. */
  validTo: Date;
  /** SHA-256 fingerprint, hex upper case without colons. */
  sha256: string;
}

/** Called after each handshake whose certificate matched its pin. */
export type CertificateListener = (certificate: SeenCertificate) => void;

/** valid_to of a peer certificate as Node gives it ("Mar 12 10:00:00 2027 GMT"). */
export function certificateEnd(cert: Pick<PeerCertificate, 'valid_to'>): Date {
  return new Date(cert.valid_to);
}

/**
 * Whole days left before `validTo` (rounded down; 0 on the last day, negative once expired),
 * or null when more than `withinDays` are left.
 */
export function certificateExpiryWarning(
  validTo: Date,
  now: Date,
  withinDays: number = CERT_WARNING_DAYS,
): { daysLeft: number } | null {
  const daysLeft = Math.floor((validTo.getTime() - now.getTime()) / 86_400_000);
  return daysLeft <= withinDays ? { daysLeft } : null;
}
