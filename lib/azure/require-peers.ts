/** Loaded first by the Azure backend: its peers are checked before anything imports them. */
import { requireBackendPeers } from '../backend-peers';

requireBackendPeers('azure');
