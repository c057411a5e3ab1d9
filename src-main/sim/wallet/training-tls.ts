// Training-only TLS identity of the simulated wallet host: a self-signed P-256 certificate for
// 127.0.0.1 / localhost, valid 2026-11-23 to 2046-11-18. Its private key is PUBLIC (it is in the
// repository), so it protects nothing; it exists so training mode runs the same HTTPS + pinning
// path as live. The training client pins TRAINING_WALLET_TLS.sha256Fingerprint. Never use live.
export const TRAINING_WALLET_TLS = {
  key: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgORmPDGNWnzTQJ7s0
b7TRhT2ndvEpEIbw9fwayHGcZq6hRANCAAR2NlJyz7d+LeJnGVAqKBqlWJuhM7zQ
8ZovD+qqYXHX7K9xCi+xRw1CidutxNTMhdhe3MGc568zGtPCBmIsyCHt
-----END PRIVATE KEY-----
`,
  cert: `-----BEGIN CERTIFICATE-----
MIIBzjCCAXWgAwIBAgIUO+GuTeo/xesL4NZADoCx+LZkwjQwCgYIKoZIzj0EAwIw
LzEtMCsGA1UEAwwkQ2FzaGllciBDb25zb2xlIHRyYWluaW5nIHdhbGxldCBob3N0
MB4XDTI2MTEyMzIxMjkyMloXDTQ2MTExODIxMjkyMlowLzEtMCsGA1UEAwwkQ2Fz
aGllciBDb25zb2xlIHRyYWluaW5nIHdhbGxldCBob3N0MFkwEwYHKoZIzj0CAQYI
KoZIzj0DAQcDQgAEdjZScs+3fi3iZxlQKigapViboTO80PGaLw/qqmFx1+yvcQov
sUcNQonbrcTUzIXYXtzBnOevMxrTwgZiLMgh7aNvMG0wHQYDVR0OBBYEFMbYo7Xs
P/fSrOYp2dUwphKiF0SOMB8GA1UdIwQYMBaAFMbYo7XsP/fSrOYp2dUwphKiF0SO
MA8GA1UdEwEB/wQFMAMBAf8wGgYDVR0RBBMwEYcEfwAAAYIJbG9jYWxob3N0MAoG
CCqGSM49BAMCA0cAMEQCIBVaGe8+PFNVm62p5hT1frbhccufgu+1yn7Yo7gPl98I
AiAFluQaNIA6BBcOTg52y8aup9jCIyCn6zfUaNKsq06PJg==
-----END CERTIFICATE-----
`,
  sha256Fingerprint:
    'D3:80:C4:7F:82:3A:C6:D7:67:A2:80:66:2E:8D:84:2B:6B:8E:7B:87:CB:2B:F9:EF:A0:7A:5F:53:1F:BA:26:5C',
} as const;
