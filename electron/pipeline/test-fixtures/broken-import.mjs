// A worker whose program cannot be loaded: Node exits with ERR_MODULE_NOT_FOUND before running a line.
import './no-such-module.mjs';
