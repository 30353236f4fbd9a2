// The application menu. File's recording items are placeholders (disabled)
// until recordings can be saved from the app; the window's own "Open
// recording…" button opens JSON Lines recordings.
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  startCapture(): void;
  stopCapture(): void;
}

export function menuTemplate(actions: MenuActions, state: { capturing: boolean; devTools: boolean }): MenuItemConstructorOptions[] {
  return [
    {
      label: 'File',
      submenu: [
        { label: 'Open Recording…', accelerator: 'CmdOrCtrl+O', enabled: false, toolTip: 'Not yet: use the "Open recording…" button in the window' },
        { label: 'Save Recording As…', accelerator: 'CmdOrCtrl+Shift+S', enabled: false, toolTip: 'Not yet available' },
        { label: 'Export…', enabled: false, toolTip: 'Not yet available' },
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
