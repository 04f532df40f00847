/** Loaded first by the AWS backend: its peers are checked before anything imports them. */
import { requireBackendPeers } from '../backend-peers';

requireBackendPeers('aws');
