"""Jobs (klussen): what a department asks for, who may see it, its pages, API and e-mails."""
