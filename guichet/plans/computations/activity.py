# computations on collective actions, aids, V.I.E., state aid (helper B)
