; The Windows installer of saldo (NSIS 3). Build it on Windows from the repository's root:
;
;   cargo build --release --locked
;   makensis /DVERSION=0.1.0 packaging\windows\saldo.nsi
;
; It writes saldo-VERSION-setup.exe into target\release. The installer puts saldo.exe in
; Program Files, adds a Start menu entry (and one for the demo) and an uninstaller listed in
; "Apps & features". It never touches the shop's data (%APPDATA%\saldo\data) or the secrets in the
; Windows Credential Manager: uninstalling keeps the ledger.

Unicode true
!include "MUI2.nsh"

!ifndef VERSION
  !define VERSION "0.1.0"
!endif
!define APP "saldo"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP}"

Name "${APP} ${VERSION}"
OutFile "..\..\target\release\saldo-${VERSION}-setup.exe"
InstallDir "$PROGRAMFILES64\${APP}"
InstallDirRegKey HKLM "Software\${APP}" "InstallDir"
RequestExecutionLevel admin
SetCompressor /SOLID lzma

!define MUI_ICON "saldo.ico"
!define MUI_UNICON "saldo.ico"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_LICENSE "..\..\LICENSE-MIT"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "Spanish"

Section "saldo" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  File "..\..\target\release\saldo.exe"
  File "saldo.ico"
  File "..\..\README.md"
  File "..\..\LICENSE-MIT"
  File "..\..\LICENSE-APACHE"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS\${APP}"
  CreateShortcut "$SMPROGRAMS\${APP}\saldo.lnk" "$INSTDIR\saldo.exe" "" "$INSTDIR\saldo.ico"
  CreateShortcut "$SMPROGRAMS\${APP}\saldo demo.lnk" "$INSTDIR\saldo.exe" "--demo" "$INSTDIR\saldo.ico"

  WriteRegStr HKLM "Software\${APP}" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "The saldo developers"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\saldo.ico"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  Delete "$SMPROGRAMS\${APP}\saldo.lnk"
  Delete "$SMPROGRAMS\${APP}\saldo demo.lnk"
  RMDir "$SMPROGRAMS\${APP}"
  Delete "$INSTDIR\saldo.exe"
  Delete "$INSTDIR\saldo.ico"
  Delete "$INSTDIR\README.md"
  Delete "$INSTDIR\LICENSE-MIT"
  Delete "$INSTDIR\LICENSE-APACHE"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
  DeleteRegKey HKLM "Software\${APP}"
SectionEnd
