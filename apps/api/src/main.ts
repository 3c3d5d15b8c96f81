import 'reflect-metadata';
import { runApi } from './api-app';

runApi();
