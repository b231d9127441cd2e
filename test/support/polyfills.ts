// aws-local-stepfunctions calls Promise.withResolvers, which Node 20 lacks (it arrived in Node 22).
import '../../local/polyfills.js';
