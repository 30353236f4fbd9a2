// The application menu. Open Recording… and Save Recording As… go through
// main (a file dialog); Export… is carried out by the page, which holds the
// view to export.
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  startCapture(): void;
  stopCapture(): void;
  openRecording(): void;
  saveRecording(): void;
  exportView(): void;
}

export interface MenuState {
  capturing: boolean;
  /** A session file exists (a capture ran or is running). */
  canSave: boolean;
  devTools: boolean;
}

export function menuTemplate(actions: MenuActions, state: MenuState): MenuItemConstructorOptions[] {
  return [
    {
      label: 'File',
      submenu: [
        { label: 'Open Recording…', accelerator: 'CmdOrCtrl+O', click: () => actions.openRecording() },
        {
          label: 'Save Recording As…',
          accelerator: 'CmdOrCtrl+Shift+S',
          enabled: state.canSave,
          toolTip: state.canSave ? 'Copy this capture\'s recording to a file you choose' : 'Start a capture first: every capture is recorded',
          click: () => actions.saveRecording(),
        },
        { label: 'Export…', accelerator: 'CmdOrCtrl+Shift+X', click: () => actions.exportView() },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    {
      label: 'Capture',
      submenu: [
        { label: 'Start', accelerator: 'CmdOrCtrl+E', enabled: !state.capturing, click: () => actions.startCapture() },
        { label: 'Stop', accelerator: 'CmdOrCtrl+Shift+E', enabled: state.capturing, click: () => actions.stopCapture() },
      ],
    },
    {
      label: 'View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(state.devTools ? ([{ type: 'separator' }, { role: 'toggleDevTools' }] as MenuItemConstructorOptions[]) : []),
      ],
    },
  ];
}
