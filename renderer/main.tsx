import { createRoot } from 'react-dom/client';
import { connectBridge } from './bridge/connect';
import { App } from './components/App';
import { actions, useApp } from './store';
import { views } from './views';
import './styles.css';

const { bridge, mode } = connectBridge();
actions.attachBridge(bridge, mode);

// Reachable from the console and from the end-to-end tests and benchmarks.
(window as unknown as { __sigscope: unknown }).__sigscope = { useApp, actions, views };

createRoot(document.getElementById('root')!).render(<App />);
