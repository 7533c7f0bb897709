/// <reference lib="webworker" />
/** The inference worker's entry: the only `expose` in the app. */
import { expose } from 'comlink';
import { loadEngine } from '../engine';
import { createInferenceApi } from './api';
import { prepareDevice } from './model';

const api = createInferenceApi({ loadEngine, prepareDevice });

export type InferenceApi = typeof api;

expose(api);
