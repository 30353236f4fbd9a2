import { createRoot } from 'react-dom/client';
import { connectBridge } from './bridge/connect';
import { App } from './components/App';
import { openRecordingInPage } from './model/openRecording';
import { actions, useApp } from './store';
import { views } from './views';
import './styles.css';

const { bridge, mode } = connectBridge();
actions.attachBridge(bridge, mode);
// The desktop app's File menu: a recording chosen in its dialog, and Export….
bridge.onOpenRecording((file) => void openRecordingInPage(file.name, file.bytes));
bridge.onCommand((command) => {
  if (command === 'export') actions.showExport(true);
});

// Reachable from the console and from the end-to-end tests and benchmarks.
(window as unknown as { __sigscope: unknown }).__sigscope = { useApp, actions, views };

createRoot(document.getElementById('root')!).render(<App />);
