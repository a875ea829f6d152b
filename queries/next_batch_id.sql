select nextval('batch_id_seq') as batch_id
