/* Dossier timeline: drawn by the next commit. */
