; Included by electron-builder's NSIS installer (electron-builder.yml, nsis.include).
; The Electron main process takes V8 flags only from its command line, so the Start menu and
; desktop shortcuts that electron-builder has just made are made again with the console's flags
; (ELECTRON_FLAGS in build/scripts/node-flags.mjs; test/unit/build/electron-flags.test.ts keeps
; the two equal). The installer's "run after finish" and an update's restart use the Start menu
; shortcut, so they get them too.
!define CASHIER_ELECTRON_FLAGS "--js-flags=--max-semi-space-size=2"

!macro customInstall
  ${if} ${FileExists} "$newStartMenuLink"
    CreateShortCut "$newStartMenuLink" "$appExe" "${CASHIER_ELECTRON_FLAGS}" "$appExe" 0 "" "" "${APP_DESCRIPTION}"
    ClearErrors
    WinShell::SetLnkAUMI "$newStartMenuLink" "${APP_ID}"
  ${endIf}
  ${if} ${FileExists} "$newDesktopLink"
    CreateShortCut "$newDesktopLink" "$appExe" "${CASHIER_ELECTRON_FLAGS}" "$appExe" 0 "" "" "${APP_DESCRIPTION}"
    ClearErrors
    WinShell::SetLnkAUMI "$newDesktopLink" "${APP_ID}"
  ${endIf}
!macroend
