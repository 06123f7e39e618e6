module switchboard

go 1.19
